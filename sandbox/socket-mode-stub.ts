import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Driver, type Acknowledgement, type SlashCommandForm } from './slack-driver.js';
import type { SlackStub } from './slack-stub.js';
import { WebSocket, WebSocketServer } from 'ws';

/** What Slack sends over a Socket Mode connection, by the receiver it would go to over HTTP. */
export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

interface PendingAck {
  connection: WebSocket;
  resolve(payload: Record<string, unknown>): void;
  reject(error: Error): void;
}

/**
 * A local stand-in for Slack's side of Socket Mode: SlackStub answers apps.connections.open (with
 * the app-level token) by a one-time URL of this server, which greets each connection with `hello`,
 * sends requests as envelopes, takes their acks and can ask the app to reconnect, as Slack does.
 * Requests go over the newest connection not asked to leave, as Slack stops using one it retires.
 */
export class SocketModeStub {
  /** Connection URLs handed out by apps.connections.open, each one only for the app token. */
  urlsIssued = 0;
  private readonly server: Server;
  private readonly sockets = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly connections: WebSocket[] = [];
  private readonly retiring = new Set<WebSocket>();
  private readonly pending = new Map<string, PendingAck>();
  private readonly connectionWaiters: Array<{ count: number; resolve(): void }> = [];

  constructor(
    private readonly slack: SlackStub,
    readonly appToken: string,
  ) {
    // Only WebSocket upgrades are served here.
    this.server = createServer((_request, response) => response.writeHead(426).end());
    this.server.on('upgrade', (request, socket, head: Buffer) => {
      const ticket = new URL(request.url ?? '/', 'ws://stub').searchParams.get('ticket') ?? '';
      if (!this.tickets.delete(ticket)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
        return;
      }
      this.sockets.handleUpgrade(request, socket, head, (connection) => this.welcome(connection));
    });
  }

  async start(): Promise<void> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.slack.socketMode = { appToken: this.appToken, connectionUrl: () => this.issueUrl() };
  }

  /** Closes every connection still open (the app should have left first) and the server. */
  async stop(): Promise<void> {
    this.slack.socketMode = undefined;
    await Promise.all(
      this.connections
        .filter((connection) => connection.readyState === WebSocket.OPEN)
        .map((connection) => {
          const closed = once(connection, 'close');
          connection.close();
          return closed;
        }),
    );
    this.sockets.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** How many connections the app has opened so far, each greeted with hello. */
  get connectionCount(): number {
    return this.connections.length;
  }

  /** Resolves once the app has opened this many connections. */
  connected(count: number): Promise<void> {
    if (this.connections.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.connectionWaiters.push({ count, resolve }));
  }

  /** Sends a request as an envelope; resolves with the payload of the app's ack. */
  deliver(type: EnvelopeType, payload: Record<string, unknown>): Promise<Record<string, unknown>> {
    const connection = this.connections.findLast(
      (candidate) => candidate.readyState === WebSocket.OPEN && !this.retiring.has(candidate),
    );
    if (!connection) return Promise.reject(new Error('the app has no Socket Mode connection open'));
    const envelopeId = randomUUID();
    return new Promise((resolve, reject) => {
      this.pending.set(envelopeId, { connection, resolve, reject });
      connection.send(
        JSON.stringify({
          envelope_id: envelopeId,
          type,
          payload,
          accepts_response_payload: type !== 'events_api',
        }),
      );
    });
  }

  /** Asks the app to reconnect, as Slack does before recycling a connection; resolves when it has left. */
  async disconnect(reason: 'refresh_requested' | 'warning' | 'link_disabled' = 'refresh_requested') {
    const connection = this.connections.findLast((candidate) => candidate.readyState === WebSocket.OPEN);
    if (!connection) throw new Error('the app has no Socket Mode connection open');
    this.retiring.add(connection);
    const closed = once(connection, 'close');
    connection.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'socket-mode-stub' } }));
    await closed;
  }

  private issueUrl(): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    this.urlsIssued += 1;
    const { port } = this.server.address() as AddressInfo;
    return `ws://127.0.0.1:${port}/link/?ticket=${ticket}`;
  }

  private welcome(connection: WebSocket): void {
    this.connections.push(connection);
    connection.on('message', (data: Buffer) => this.acknowledged(data.toString('utf8')));
    connection.on('close', () => {
      for (const [envelopeId, ack] of this.pending) {
        if (ack.connection !== connection) continue;
        this.pending.delete(envelopeId);
        ack.reject(new Error(`the connection closed before envelope ${envelopeId} was acknowledged`));
      }
    });
    connection.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.connections.filter(
          (c) => c.readyState === WebSocket.OPEN && !this.retiring.has(c),
        ).length,
        debug_info: { host: 'socket-mode-stub', build_number: 1, approximate_connection_time: 18060 },
        // The app ID the drivers' payloads carry.
        connection_info: { app_id: 'A1' },
      }),
    );
    for (const waiter of this.connectionWaiters.filter((w) => w.count <= this.connections.length)) {
      this.connectionWaiters.splice(this.connectionWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  private acknowledged(text: string): void {
    let ack: { envelope_id?: unknown; payload?: unknown };
    try {
      ack = JSON.parse(text) as typeof ack;
    } catch {
      return;
    }
    const envelopeId = typeof ack.envelope_id === 'string' ? ack.envelope_id : '';
    const pending = this.pending.get(envelopeId);
    if (!pending) return;
    this.pending.delete(envelopeId);
    const payload = ack.payload;
    pending.resolve(
      typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {},
    );
  }
}

/**
 * Requests into the app's real Socket Mode receiver, as envelopes over its connection. An ack comes
 * as soon as a listener calls ack(), before its work is done (there is no processBeforeResponse for
 * Socket Mode), so each request waits for `settled` too: a test then sees what the app did.
 */
export class SocketModeDriver extends Driver<Acknowledgement> {
  constructor(
    private readonly options: { stub: SlackStub; socket: SocketModeStub; settled: () => Promise<void> },
  ) {
    super(options.stub);
  }

  sendCommand(form: SlashCommandForm): Promise<Acknowledgement> {
    return this.deliver('slash_commands', form);
  }

  sendInteraction(payload: Record<string, unknown>): Promise<Acknowledgement> {
    return this.deliver('interactive', payload);
  }

  sendEvent(body: Record<string, unknown>): Promise<Acknowledgement> {
    return this.deliver('events_api', body);
  }

  private async deliver(type: EnvelopeType, payload: Record<string, unknown>): Promise<Acknowledgement> {
    const ack = await this.options.socket.deliver(type, payload);
    await this.options.settled();
    return { json: () => ack };
  }
}
