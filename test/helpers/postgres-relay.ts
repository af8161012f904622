import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

interface Relayed {
  client: Socket;
  server: Socket;
}

/**
 * A TCP relay in front of PostgreSQL that can drop its open connections silently, as a proxy does
 * when its idle timeout passes: the server side is closed, and the client learns of it only when it
 * next sends something, which is answered with a reset. Connections made afterwards relay as usual.
 */
export class PostgresRelay {
  private readonly listener: Server;
  private readonly open = new Set<Relayed>();
  private readonly sockets = new Set<Socket>();
  private down = false;

  constructor(private readonly target: URL) {
    this.listener = createServer((client) => {
      if (this.down) {
        client.resetAndDestroy();
        return;
      }
      const server = connect(Number(target.port || 5432), target.hostname);
      const relayed = { client, server };
      this.open.add(relayed);
      for (const socket of [client, server]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
      }
      const forget = () => this.open.delete(relayed);
      client.on('error', forget).on('close', forget);
      server.on('error', () => client.destroy());
      client.pipe(server).pipe(client);
    });
  }

  async start(): Promise<void> {
    this.listener.listen(0, '127.0.0.1');
    await once(this.listener, 'listening');
  }

  /** The target's URL, through the relay. */
  get url(): string {
    const url = new URL(this.target);
    url.hostname = '127.0.0.1';
    url.port = String((this.listener.address() as AddressInfo).port);
    return url.toString();
  }

  /** How many connections were dropped. */
  dropSilently(): number {
    const dropped = [...this.open];
    for (const { client, server } of dropped) {
      server.unpipe(client);
      client.unpipe(server);
      server.destroy();
      client.once('data', () => client.resetAndDestroy()).resume();
    }
    this.open.clear();
    return dropped.length;
  }

  /** The database is gone, as in an outage: open connections are cut and new ones reset, until up(). */
  goDown(): void {
    this.down = true;
    for (const { client, server } of this.open) {
      server.destroy();
      client.resetAndDestroy();
    }
    this.open.clear();
  }

  up(): void {
    this.down = false;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.listener.close(() => resolve()));
  }
}
