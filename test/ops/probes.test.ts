import { expect } from 'chai';
import { Cleanup } from '../helpers/cleanup.js';
import {
  testWorld,
  type TestSocketWorld,
  type TestWorld,
  worldBehindRelay,
  worldTest,
} from '../helpers/world.js';

async function probe(world: TestWorld | TestSocketWorld, path: string) {
  const response = await fetch(`http://127.0.0.1:${world.sipReset.port()}${path}`);
  return { status: response.status, text: await response.text() };
}

describe('ops: the probes', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  for (const mode of ['http', 'socket'] as const) {
    describe(`in ${mode === 'http' ? 'HTTP' : 'Socket'} mode`, () => {
      let world: TestWorld | TestSocketWorld;
      beforeEach(async () => {
        world = mode === 'http' ? await testWorld() : await testWorld({ mode: 'socket' });
        cleanup.add(() => world.stop());
      });

      worldTest('answers /healthz and /readyz with 200 on one line of JSON once started', async () => {
        expect(await probe(world, '/healthz')).to.deep.equal({ status: 200, text: '{"status":"ok"}' });
        expect(await probe(world, '/readyz')).to.deep.equal({ status: 200, text: '{"status":"ready"}' });
      });

      worldTest('is not ready until Slack has accepted the token, and says so', async () => {
        world.sipReset.readiness.slackToken = false;
        expect(await probe(world, '/readyz')).to.deep.equal({
          status: 503,
          text: '{"status":"not_ready","reason":"Slack has not accepted the bot token"}',
        });
        expect((await probe(world, '/healthz')).status, 'alive all the same').to.equal(200);
      });

      worldTest('answers 503 to both from the moment a stop begins', async () => {
        const port = world.sipReset.port();
        const held = world.vendor.hold();
        // A stop waits for work in flight: the probes answer meanwhile.
        await world.driver.command('UHANA', '1001', 'CGENERAL');
        const submitted = world.driver.submitModal('UHANA', { account: '1001', app: '4luaKsL2' });
        await held.arrived;
        const stopped = world.sipReset.stop();
        const at = (path: string) => fetch(`http://127.0.0.1:${port}${path}`);
        expect((await at('/healthz')).status).to.equal(503);
        expect(await (await at('/readyz')).json()).to.deep.equal({
          status: 'not_ready',
          reason: 'the app is stopping',
        });
        held.release();
        await Promise.all([submitted, stopped]);
      });
    });
  }

  worldTest(
    'serves only the probes and metrics on the Socket Mode port: Slack comes over the WebSocket',
    async () => {
      const world = await testWorld({ mode: 'socket' });
      cleanup.add(() => world.stop());
      expect((await probe(world, '/slack/events')).status).to.equal(404);
      expect((await probe(world, '/metrics')).status).to.equal(200);
    },
  );

  worldTest(
    'is not ready while PostgreSQL is down, alive all the same, and ready again once it is back',
    async function () {
      const { world, relay } = await worldBehindRelay(this, cleanup);
      expect((await probe(world, '/readyz')).status).to.equal(200);

      relay.goDown();
      expect(await probe(world, '/readyz')).to.deep.equal({
        status: 503,
        text: '{"status":"not_ready","reason":"the database does not answer"}',
      });
      expect((await probe(world, '/healthz')).status).to.equal(200);
      expect((await probe(world, '/metrics')).status, 'a scrape still answers').to.equal(200);

      relay.up();
      expect((await probe(world, '/readyz')).status).to.equal(200);
    },
  );
});
