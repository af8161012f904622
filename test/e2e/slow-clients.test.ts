import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { expect } from 'chai';
import fetch from 'node-fetch';
import { CAST } from '../../sandbox/world.js';
import { HTTP_LIMITS, type HttpLimits } from '../../src/ops/server.js';
import { testWorld, worldTest, type TestWorld } from '../helpers/world.js';
import { HEAD_OFFICE } from '../helpers/requests.js';

/** Bounds short enough for a test to see them act. */
const SHORT: HttpLimits = {
  headersTimeoutMs: 300,
  requestTimeoutMs: 800,
  checkEveryMs: 50,
  maxConnections: 500,
};

/** A raw connection to the app that sends a request a few bytes at a time and never finishes it. */
class Trickler {
  readonly closed: Promise<void>;
  received = '';
  private timer: NodeJS.Timeout | undefined;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (this.received += chunk));
    socket.on('error', () => undefined);
    this.closed = once(socket, 'close').then(() => {
      clearInterval(this.timer);
    });
  }

  /** Opens the connection and starts trickling: the headers a line at a time, or the body a byte at a time. */
  static async open(port: number, part: 'headers' | 'body', everyMs = 100): Promise<Trickler> {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const trickler = new Trickler(socket);
    socket.write('POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    if (part === 'body') {
      socket.write('Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n');
    }
    let n = 0;
    trickler.timer = setInterval(() => {
      n += 1;
      if (!socket.destroyed) socket.write(part === 'headers' ? `X-Slow-${n}: 1\r\n` : 'a');
    }, everyMs);
    return trickler;
  }

  end(): void {
    clearInterval(this.timer);
    this.socket.destroy();
  }
}

describe('e2e: slow clients', () => {
  let world: TestWorld | undefined;
  let tricklers: Trickler[] = [];
  afterEach(async () => {
    for (const trickler of tricklers) trickler.end();
    tricklers = [];
    await world?.stop();
    world = undefined;
  });

  it('bounds a request to 10 s for its headers and 30 s in all, with at most 500 connections', () => {
    expect(HTTP_LIMITS).to.deep.equal({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      checkEveryMs: 1_000,
      maxConnections: 500,
    });
  });

  worldTest('cuts a client that trickles its headers past the headers bound', async () => {
    const { sipReset } = (world = await testWorld({ httpLimits: SHORT }));
    const started = performance.now();
    const trickler = await Trickler.open(sipReset.port() ?? 0, 'headers');
    tricklers.push(trickler);
    await trickler.closed;
    const took = performance.now() - started;
    expect(took, 'cut after the bound, not before').to.be.at.least(SHORT.headersTimeoutMs - 50);
    expect(took, 'cut near the bound, not at node’s default of 60 s').to.be.below(5_000);
    expect(trickler.received).to.match(/^HTTP\/1\.1 408/);
  });

  worldTest('cuts a client that trickles its body past the request bound', async () => {
    const { sipReset, slack } = (world = await testWorld({ httpLimits: SHORT }));
    const started = performance.now();
    const trickler = await Trickler.open(sipReset.port() ?? 0, 'body');
    tricklers.push(trickler);
    await trickler.closed;
    const took = performance.now() - started;
    expect(took, 'cut after the bound, not before').to.be.at.least(SHORT.requestTimeoutMs - 50);
    expect(took, 'cut near the bound, not at node’s default of 300 s').to.be.below(5_000);
    expect(slack.calls, 'nothing reached a listener').to.have.length(0);
  });

  worldTest(
    'closes connections past the bound on their number at once, and serves again once they go',
    async () => {
      world = await testWorld({ httpLimits: { ...HTTP_LIMITS, maxConnections: 5 } });
      const port = world.sipReset.port() ?? 0;
      for (let i = 0; i < 5; i += 1) tricklers.push(await Trickler.open(port, 'headers', 1_000));
      const sixth = await Trickler.open(port, 'headers', 1_000);
      tricklers.push(sixth);
      await sixth.closed;
      for (const trickler of tricklers) trickler.end();
      await Promise.all(tricklers.map((trickler) => trickler.closed));
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).to.equal(200);
    },
  );

  worldTest('serves a reset and /healthz while 300 slow clients hold connections open', async function () {
    this.timeout(60_000);
    const opened = (world = await testWorld());
    const port = opened.sipReset.port() ?? 0;
    const opening: Array<Promise<Trickler>> = [];
    for (let i = 0; i < 300; i += 1) opening.push(Trickler.open(port, i % 2 === 0 ? 'headers' : 'body', 500));
    tricklers = await Promise.all(opening);

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).to.equal(200);
    await opened.driver.command(CAST.helpdesk, '1001', CAST.general);
    const answer = await opened.driver.submitModal(CAST.helpdesk, { account: '1001', app: HEAD_OFFICE });
    expect(answer.status).to.equal(200);
    expect(opened.vendor.calls).to.have.length(1);
    expect(opened.lastPrivate(CAST.helpdesk, 'sip_reset_remove_password').via).to.equal('response_url');
    const stillOpen = await Promise.race([
      Promise.all(tricklers.map((t) => t.closed)).then(() => false),
      new Promise((resolve) => setTimeout(() => resolve(true), 10)),
    ]);
    expect(stillOpen, 'the slow clients were all still connected').to.equal(true);
    // The app's stop waits for the connections it holds.
    for (const trickler of tricklers) trickler.end();
  });
});
