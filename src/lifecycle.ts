import { Server } from 'node:http';
import type { App } from '@slack/bolt';
import type { Phase } from './ops/health.js';
import { serverOptionsOf, type HttpLimits, type OpsServer } from './ops/server.js';
import { WorkInFlight } from './slack/platform/draining.js';

const SWEEP_INTERVAL_MS = 30_000;

/** The servers the app listens with: Bolt's receiver and, in Socket Mode, the operators' own. */
export interface Servers {
  listen(): Promise<void>;
  /** The port the HTTP server (Slack's events in HTTP mode, the operators' routes) listens on, once started. */
  port(): number | undefined;
  close(): Promise<void>;
}

/** What the app does at each step of its life, besides serving. */
export interface LifecycleSteps {
  /** One round of upkeep (expiry, recovery); it settles, logging its own failure. */
  sweep(): Promise<void>;
  /** Before the first sweep. */
  starting(): Promise<void>;
  /** Once the servers listen and Slack has accepted the token. */
  serving(): void;
  /** As a stop begins, before the work in flight is waited for. */
  stopping(): void;
  /** Once no work runs, before the servers close. */
  drained(): Promise<void>;
}

/**
 * The app's life: starting, serving, stopping. It counts the work in flight (every Slack request's
 * listener, every sweep), runs the sweep at start and every 30 s, and stops gracefully: /healthz
 * answers 503 and new requests are refused at once, the sweep stops, and the work in flight (a
 * reset waiting for the vendor, its delivery) finishes before the servers close.
 */
export class Lifecycle {
  private current: Phase = 'starting';
  /**
   * What GET /readyz cannot find out by itself: `slackToken` is set once Slack has accepted the bot
   * token (composition/production.ts asks auth.test before it builds the app; start() sets it once
   * serving).
   */
  readonly readiness = { slackToken: false };
  private readonly work = new WorkInFlight();
  private timer: NodeJS.Timeout | undefined;
  private servers: Servers | undefined;
  private stopped: Promise<void> | undefined;

  constructor(private readonly steps: LifecycleSteps) {}

  get phase(): Phase {
    return this.current;
  }

  get stopping(): boolean {
    return this.current === 'stopping';
  }

  /** Counts `work` as running until it settles, and hands it back unchanged. */
  track<T>(work: Promise<T>): Promise<T> {
    return this.work.track(work);
  }

  /** How many requests and sweeps are running. */
  inFlight(): number {
    return this.work.size;
  }

  /** One round of upkeep, counted as work in flight; also run by the timer. */
  sweep(): Promise<void> {
    return this.work.track(this.steps.sweep());
  }

  async start(servers: Servers): Promise<void> {
    this.servers = servers;
    await this.steps.starting();
    await this.sweep();
    await servers.listen();
    this.readiness.slackToken = true;
    this.current = 'serving';
    this.timer = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.timer.unref();
    this.steps.serving();
  }

  port(): number | undefined {
    return this.servers?.port();
  }

  /** Stops gracefully; calling it again returns the same stop. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.current = 'stopping';
      this.steps.stopping();
      if (this.timer) clearInterval(this.timer);
      await this.work.drained();
      await this.steps.drained();
      await this.servers?.close();
    })();
    return this.stopped;
  }
}

/**
 * The Bolt app's servers: its receiver's (HTTP, bounded by `limits` through Bolt's public
 * `start(port, serverOptions)`), or, in Socket Mode, where Slack's traffic comes over a WebSocket,
 * the operators' own server beside it.
 */
export function serversOf(
  app: App,
  opsServer: OpsServer | undefined,
  where: { port: number; host?: string },
  limits: HttpLimits,
): Servers {
  let server: Server | undefined;
  return {
    async listen() {
      await opsServer?.listen(where.port, where.host);
      const listen = where.host ? { port: where.port, host: where.host } : where.port;
      const started = await (opsServer ? app.start(listen) : app.start(listen, serverOptionsOf(limits)));
      if (started instanceof Server) {
        server = started;
        server.maxConnections = limits.maxConnections;
      }
    },
    port() {
      if (opsServer) return opsServer.port();
      const address = server?.address();
      return typeof address === 'object' && address ? address.port : undefined;
    },
    async close() {
      await app.stop();
      await opsServer?.close();
    },
  };
}
