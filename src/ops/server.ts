import { once } from 'node:events';
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerOptions,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CustomRoute } from '@slack/bolt';

/** Bounds on a client of the HTTP server, so slow or many clients cannot hold it. */
export interface HttpLimits {
  /** The request line and headers must arrive within this (node's `headersTimeout`). */
  headersTimeoutMs: number;
  /** The whole request, body included, must arrive within this (node's `requestTimeout`). */
  requestTimeoutMs: number;
  /** How often node looks for requests past those bounds (its `connectionsCheckingInterval`). */
  checkEveryMs: number;
  /** Connections held at once; more are closed as they arrive (node's `maxConnections`). */
  maxConnections: number;
}

export const HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  checkEveryMs: 1_000,
  maxConnections: 500,
};

/**
 * Node's own bounds, passed through Bolt's public `start(port, serverOptions)` or to the operators'
 * own server: a client whose headers or whole request take longer is answered 408 and cut, so slow
 * clients cannot pile up (node's defaults are 60 s and 300 s, checked every 30 s).
 */
export function serverOptionsOf(limits: HttpLimits): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: limits.checkEveryMs,
  };
}

/** An operator's GET endpoint: a probe or the metrics. */
export interface OpsRoute {
  path: string;
  handler(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
}

/** A handler that fails answers 500 instead of leaving the probe hanging or the process with a stray rejection. */
function guarded(route: OpsRoute): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    Promise.resolve()
      .then(() => route.handler(req, res))
      .catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ status: 'error' }));
      });
  };
}

/** The routes as Bolt's HTTP receiver serves them, beside /slack/events. */
export function customRoutes(routes: readonly OpsRoute[]): CustomRoute[] {
  return routes.map((route) => ({ path: route.path, method: ['GET'], handler: guarded(route) }));
}

/**
 * The HTTP server of Socket Mode, where Slack's traffic comes over a WebSocket: it serves only the
 * operators' routes. (Bolt's SocketModeReceiver can serve custom routes too, but neither tells
 * the port it listens on nor waits for it to close, nor reports a port already in use.)
 */
export class OpsServer {
  private readonly server: Server;

  constructor(routes: readonly OpsRoute[], limits: HttpLimits) {
    const handlers = new Map(routes.map((route) => [route.path, guarded(route)]));
    this.server = createServer(serverOptionsOf(limits), (req, res) => {
      const { pathname } = new URL(req.url ?? '/', 'http://localhost');
      const handler = handlers.get(pathname);
      if (handler && (req.method === 'GET' || req.method === 'HEAD')) return handler(req, res);
      res.writeHead(handler ? 405 : 404).end();
    });
    this.server.maxConnections = limits.maxConnections;
  }

  async listen(port: number, host?: string): Promise<void> {
    this.server.listen(port, host);
    await Promise.race([
      once(this.server, 'listening'),
      once(this.server, 'error').then(([error]) => Promise.reject(error as Error)),
    ]);
  }

  port(): number | undefined {
    return (this.server.address() as AddressInfo | null)?.port;
  }

  async close(): Promise<void> {
    if (!this.server.listening) return;
    this.server.closeIdleConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
