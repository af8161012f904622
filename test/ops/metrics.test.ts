import { expect } from 'chai';
import { CAST } from '../../sandbox/world.js';
import { Cleanup } from '../helpers/cleanup.js';
import { requestReset, testWorld, type TestWorld, worldTest } from '../helpers/world.js';
import { HEAD_OFFICE } from '../helpers/requests.js';
const MINUTE = 60_000;

/** The samples of one scrape, by series (name and labels as exposed), e.g. `x_total{path="direct"}`. */
async function scrape(port: number | undefined, headers: Record<string, string> = {}) {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, { headers });
  expect(response.status).to.equal(200);
  expect(response.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(\S+) (\S+)$/.exec(line);
    if (match && !line.startsWith('#')) samples.set(match[1] as string, Number(match[2]));
  }
  return { text, samples, value: (series: string) => samples.get(series) ?? 0 };
}

describe('ops: metrics', () => {
  let world: TestWorld;
  let clock: number;
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  async function start(env: Record<string, string> = {}) {
    clock = Date.now();
    world = await testWorld({ now: () => clock, env });
    cleanup.add(() => world.stop());
  }

  worldTest(
    'move as requests flow: paths and outcomes, vendor and Slack calls, acks, delivery routes, open requests',
    async () => {
      await start();
      const before = await scrape(world.sipReset.port());
      expect(before.value('sip_reset_requests_created_total{path="direct"}')).to.equal(0);

      await requestReset(world, CAST.helpdesk, '1001');
      await world.driver.command(CAST.employee, '1003', CAST.general);
      await world.driver.submitModal(CAST.employee, {
        account: '1003',
        app: HEAD_OFFICE,
        reason: 'new phone',
      });

      const after = await scrape(world.sipReset.port());
      expect(after.value('sip_reset_requests_created_total{path="direct"}')).to.equal(1);
      expect(after.value('sip_reset_requests_created_total{path="approval"}')).to.equal(1);
      expect(after.value('sip_reset_requests_finished_total{path="direct",outcome="completed"}')).to.equal(1);
      expect(after.value('sip_reset_vendor_call_duration_seconds_count{code="ok"}')).to.equal(1);
      expect(
        after.value('sip_reset_slack_call_duration_seconds_count{method="views.open",error="ok"}'),
      ).to.equal(2);
      expect(
        after.value('sip_reset_slack_call_duration_seconds_count{method="chat.postMessage",error="ok"}'),
      ).to.be.at.least(1);
      expect(after.value('sip_reset_ack_duration_seconds_count{kind="command"}')).to.equal(2);
      expect(after.value('sip_reset_ack_duration_seconds_count{kind="submission"}')).to.equal(2);
      expect(after.value('sip_reset_private_deliveries_total{route="response_url"}')).to.be.at.least(2);
      expect(after.value('sip_reset_open_requests{state="pending"}')).to.equal(1);
      expect(after.value('sip_reset_open_requests{state="approved"}')).to.equal(0);
      expect(after.samples.has('process_cpu_seconds_total'), 'process metrics').to.equal(true);
    },
  );

  worldTest(
    'count a vendor failure by its code, Slack errors by theirs, and a delivery no route could make',
    async () => {
      await start();
      world.vendor.faults.push({ kind: 'status', status: '-24' });
      await requestReset(world, CAST.helpdesk, '1001');
      // Then a reset whose requester no private route reaches: the bot is not in the channel, the
      // response_url is dead and the DM cannot be opened.
      world.slack.failNext('conversations.open', 'ratelimited');
      const form = world.driver.commandForm(CAST.helpdesk, '1003', CAST.elsewhere);
      await world.driver.post(form);
      world.slack.deadResponseUrls.add(form.response_url);
      await world.driver.submitModal(CAST.helpdesk, { account: '1003', app: HEAD_OFFICE });

      const { value } = await scrape(world.sipReset.port());
      expect(value('sip_reset_requests_finished_total{path="direct",outcome="failed"}')).to.equal(1);
      expect(value('sip_reset_vendor_call_duration_seconds_count{code="account_not_found"}')).to.equal(1);
      expect(value('sip_reset_vendor_call_duration_seconds_count{code="ok"}')).to.equal(0);
      expect(
        value('sip_reset_slack_call_duration_seconds_count{method="conversations.open",error="ratelimited"}'),
      ).to.equal(1);
      expect(
        value(
          'sip_reset_slack_call_duration_seconds_count{method="chat.postEphemeral",error="channel_not_found"}',
        ),
      ).to.equal(1);
      expect(value('sip_reset_private_delivery_failures_total')).to.equal(1);
    },
  );

  worldTest('count the sweep expiring a request', async () => {
    await start();
    await world.driver.command(CAST.employee, '1003', CAST.general);
    await world.driver.submitModal(CAST.employee, { account: '1003', app: HEAD_OFFICE, reason: 'new phone' });
    clock += 61 * MINUTE;
    await world.sipReset.sweep();
    const { value } = await scrape(world.sipReset.port());
    expect(value('sip_reset_sweep_expired_total')).to.equal(1);
    expect(value('sip_reset_sweep_recovered_total')).to.equal(0);
    expect(value('sip_reset_requests_finished_total{path="approval",outcome="expired"}')).to.equal(1);
    expect(value('sip_reset_open_requests{state="pending"}')).to.equal(0);
  });

  worldTest(
    'keep a bounded set of series: no label holds a user, an account or a request, however many there are',
    async () => {
      await start();
      await requestReset(world, CAST.helpdesk, '1001');
      const once = await scrape(world.sipReset.port());
      await requestReset(world, CAST.owner, '1002');
      await requestReset(world, CAST.helpdesk, '1003');
      const thrice = await scrape(world.sipReset.port());
      const ours = (samples: Map<string, number>) =>
        [...samples.keys()].filter((s) => s.startsWith('sip_reset_'));
      expect(ours(thrice.samples)).to.deep.equal(ours(once.samples));
      const labelValues = [...thrice.text.matchAll(/="([^"]*)"/g)].map((match) => match[1]).join(' ');
      const requests = await world.store.listByRequester(CAST.helpdesk, 10);
      for (const forbidden of [
        ...Object.values(CAST),
        '1001',
        '1002',
        '1003',
        ...requests.map((r) => r.id),
      ]) {
        expect(labelValues).not.to.contain(forbidden);
      }
    },
  );

  worldTest(
    "keep Slack's error codes to a known list plus other: 20 codes it never documented add one series",
    async () => {
      await start();
      const slackSeries = (samples: Map<string, number>) =>
        [...samples.keys()].filter((s) => s.startsWith('sip_reset_slack_call_duration_seconds_count{'));
      world.slack.failNext('views.open', 'channel_not_found');
      await world.driver.command(CAST.helpdesk, '1001', CAST.general);
      const known = await scrape(world.sipReset.port());
      const unknown = Array.from({ length: 20 }, (_, i) => `made_up_error_${i}`);
      for (const code of unknown) {
        world.slack.failNext('views.open', code);
        await world.driver.command(CAST.helpdesk, '1001', CAST.general);
      }
      const after = await scrape(world.sipReset.port());
      expect(world.slack.callsTo('views.open')).to.have.length(21);
      expect(
        after.value(
          'sip_reset_slack_call_duration_seconds_count{method="views.open",error="channel_not_found"}',
        ),
        'a documented code keeps its name',
      ).to.equal(1);
      expect(
        after.value('sip_reset_slack_call_duration_seconds_count{method="views.open",error="other"}'),
      ).to.equal(20);
      expect(slackSeries(after.samples)).to.have.length(slackSeries(known.samples).length + 1);
      for (const code of unknown) expect(after.text).not.to.contain(code);
    },
  );

  worldTest('answer only a bearer of SIP_RESET_METRICS_TOKEN when it is set', async () => {
    await start({ SIP_RESET_METRICS_TOKEN: 'scrape-token-42' });
    const port = world.sipReset.port();
    const refused = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(refused.status).to.equal(401);
    const wrong = await fetch(`http://127.0.0.1:${port}/metrics`, {
      headers: { Authorization: 'Bearer nope' },
    });
    expect(wrong.status).to.equal(401);
    await scrape(port, { Authorization: 'Bearer scrape-token-42' });
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 'the probes need no token').to.equal(
      200,
    );
  });

  worldTest('are counted per app instance: two in one process keep their own', async () => {
    await start();
    const second = await world.addInstance();
    await second.command(CAST.helpdesk, '1001', CAST.general);
    const first = await scrape(world.sipReset.port());
    expect(first.value('sip_reset_ack_duration_seconds_count{kind="command"}')).to.equal(0);
  });
});
