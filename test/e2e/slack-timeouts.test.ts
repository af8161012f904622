import { expect } from 'chai';
import { en } from '../../src/i18n/en/index.js';
import { CAST } from '../../sandbox/world.js';
import { until } from '../helpers/until.js';
import { testWorld, worldTest, type TestWorld } from '../helpers/world.js';
import { HEAD_OFFICE } from '../helpers/requests.js';
const TIMEOUT_MS = 100;
/** Far longer than any test here may take: a call that waits for it has not been time-boxed. */
const HANG_MS = 2_000;
const BOUND_MS = 1_000;

describe('e2e: Slack that does not answer', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await testWorld({ env: { SLACK_TIMEOUT_MS: String(TIMEOUT_MS) } });
  });
  afterEach(() => world.stop());

  /** Runs one step and checks it ended within the bound, which only a timed-out call allows. */
  async function within<T>(step: () => Promise<T>): Promise<T> {
    const started = Date.now();
    const result = await step();
    expect(Date.now() - started, 'ms taken').to.be.below(BOUND_MS);
    return result;
  }

  worldTest('answers the command with an error when views.open hangs, and does not retry it', async () => {
    world.slack.delays.set('views.open', HANG_MS);
    const answer = await within(() => world.driver.command(CAST.helpdesk, '1001', CAST.general));
    expect(answer.status).to.equal(200);
    expect(world.lastPrivate(CAST.helpdesk)).to.include({ via: 'response_url', text: en.unexpectedError });
    expect(world.slack.callsTo('views.open')).to.have.length(1);
    expect(world.logs.text()).to.contain('could not open the reset modal');
  });

  worldTest('delivers the password by chat.postEphemeral when the response_url hangs', async () => {
    await world.driver.command(CAST.helpdesk, '1001', CAST.general);
    world.slack.delays.set('response_url', HANG_MS);
    await within(() => world.driver.submitModal(CAST.helpdesk, { account: '1001', app: HEAD_OFFICE }));
    const password = world.vendor.passwords.get(`${HEAD_OFFICE}/1001`) as string;
    const message = world.lastPrivate(CAST.helpdesk, 'sip_reset_remove_password');
    expect(message).to.include({ via: 'chat.postEphemeral', channel: CAST.general });
    expect(JSON.stringify(message.blocks)).to.contain(password);
    expect(world.vendor.calls).to.have.length(1);
    expect((await world.store.listByRequester(CAST.helpdesk, 1))[0]?.status).to.equal('completed');
  });

  worldTest(
    'says in the later copy that it repeats one Slack may have shown, and audits both routes',
    async () => {
      await world.driver.command(CAST.helpdesk, '1001', CAST.general);
      // Slack takes the password's message and answers after the time limit: it shows it, late.
      let held: { arrived: Promise<void>; release(): void } | undefined;
      world.vendor.duringReset.push(() => {
        held = world.slack.hold('response_url');
      });
      await world.driver.submitModal(CAST.helpdesk, { account: '1001', app: HEAD_OFFICE });
      held?.release();
      const password = world.vendor.passwords.get(`${HEAD_OFFICE}/1001`) as string;
      const copies = () => world.slack.ephemerals.filter((e) => JSON.stringify(e.blocks).includes(password));
      await until(() => copies().length === 2, 'the late copy shown too');
      const late = copies().find((e) => e.via === 'response_url');
      const repeated = copies().find((e) => e.via === 'chat.postEphemeral');
      expect(JSON.stringify(late?.blocks)).not.to.contain(en.passwordRepeated);
      expect(JSON.stringify(repeated?.blocks)).to.contain(en.passwordRepeated);
      const delivered = (await world.store.auditOf('1001', 20)).find((r) => r.type === 'password_delivered');
      expect(JSON.parse(delivered?.detail ?? '{}')).to.deep.equal({
        route: 'ephemeral',
        timedOut: 'response_url',
      });
      expect(world.vendor.calls).to.have.length(1);
    },
  );

  worldTest('the same when chat.postEphemeral is the route that answers late', async () => {
    await world.driver.command(CAST.helpdesk, '1001', CAST.general);
    let held: { arrived: Promise<void>; release(): void } | undefined;
    world.vendor.duringReset.push(() => {
      world.slack.failNext('response_url', 'expired_url');
      held = world.slack.hold('chat.postEphemeral');
    });
    await world.driver.submitModal(CAST.helpdesk, { account: '1001', app: HEAD_OFFICE });
    held?.release();
    const password = world.vendor.passwords.get(`${HEAD_OFFICE}/1001`) as string;
    const copies = () => world.slack.ephemerals.filter((e) => JSON.stringify(e.blocks).includes(password));
    await until(() => copies().length === 2, 'the late copy shown too');
    const repeated = copies().find((e) => e.channel === world.slack.dmOf(CAST.helpdesk));
    expect(JSON.stringify(repeated?.blocks)).to.contain(en.passwordRepeated);
    const delivered = (await world.store.auditOf('1001', 20)).find((r) => r.type === 'password_delivered');
    expect(JSON.parse(delivered?.detail ?? '{}')).to.deep.equal({
      route: 'dm_ephemeral',
      timedOut: 'ephemeral',
    });
  });

  worldTest(
    'withdraws a request whose approval post hangs, posting it once, and tells the requester',
    async () => {
      await world.driver.command(CAST.employee, '1001', CAST.general);
      world.slack.delays.set('chat.postMessage', HANG_MS);
      await within(() =>
        world.driver.submitModal(CAST.employee, { account: '1001', app: HEAD_OFFICE, reason: 'new phone' }),
      );
      expect(world.slack.callsTo('chat.postMessage'), 'no second post after the timeout').to.have.length(1);
      expect((await world.store.listByRequester(CAST.employee, 1))[0]?.status).to.equal('cancelled');
      expect(world.lastPrivate(CAST.employee).text).to.contain(en.unexpectedError);
    },
  );

  worldTest("ends a click's listener when its reply through the response_url hangs", async () => {
    await world.driver.command(CAST.helpdesk, '1001', CAST.general);
    await world.driver.submitModal(CAST.helpdesk, { account: '1001', app: HEAD_OFFICE });
    const message = world.lastPrivate(CAST.helpdesk, 'sip_reset_remove_password');
    world.slack.delays.set('response_url', HANG_MS);
    world.logs.clear();
    const answer = await within(() =>
      world.driver.click(CAST.helpdesk, { kind: 'ephemeral', id: message.id }, 'sip_reset_remove_password'),
    );
    expect(answer.status).to.equal(200);
    expect(world.logs.lines().map((line) => line.message)).to.include('unhandled error in a listener');
    expect(world.sipReset.inFlight()).to.equal(0);
  });
});
