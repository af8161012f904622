import { expect } from 'chai';
import { findButton } from '../../sandbox/slack-driver.js';
import { CAST } from '../../sandbox/world.js';
import type { RequestStatus } from '../../src/domain/lifecycle.js';
import { until } from '../helpers/until.js';
import { requestReset, type TestWorld, worldTest } from '../helpers/world.js';
import { expectStillServing, slackFaultWorld } from './attack.js';

const PUBLISH_FAILED = 'could not publish the Home tab';

/**
 * How views.publish can fail: Slack's edge down, Slack's own refusals (the Home tab off in the app's
 * settings, an unknown user, a view too large), its rate limit (HTTP 429, Retry-After 30 s) and a hang.
 */
type Fault = { kind: 'error'; error: string } | { kind: 'home off' } | { kind: 'hang' };
const FAULTS: Array<[string, Fault]> = [
  ['HTTP 500', { kind: 'error', error: 'http_500' }],
  ['HTTP 502', { kind: 'error', error: 'http_502' }],
  ['HTTP 503', { kind: 'error', error: 'http_503' }],
  ['ok:false not_enabled (the Home tab off in the app settings)', { kind: 'home off' }],
  ['ok:false user_not_found', { kind: 'error', error: 'user_not_found' }],
  ['ok:false view_too_large', { kind: 'error', error: 'view_too_large' }],
  ['429 with Retry-After', { kind: 'error', error: 'ratelimited' }],
  ['a hang', { kind: 'hang' }],
];

/** What each person's Home says of a request in each state (the default catalogue: all are en-US). */
const MINE: Partial<Record<RequestStatus, string>> = {
  pending: 'Waiting for approval',
  approved: 'Approved: press the button in your DM',
  completed: 'Password reset',
  denied: 'Denied by <@UBOB>',
};

/**
 * views.publish fails while someone opens their Home tab, and while the Homes are republished after
 * an approval, a denial or a reset. After each: the request went its way as if Slack had published
 * (decided, reset, its password delivered privately once), each failed publish was logged once and
 * without a secret, the process still serves, and the next open of the Home shows the current state.
 */
describe('attack: views.publish faults, on opening the Home tab and on its republish', function () {
  this.timeout(60_000);
  let world: TestWorld;

  beforeEach(async () => {
    world = await slackFaultWorld();
  });
  afterEach(() => world.stop());

  /** Hung publishes: each gives up at SLACK_TIMEOUT_MS, and Slack takes it only when released. */
  let hung: Array<{ release(): void }> = [];

  function inject(fault: Fault): void {
    if (fault.kind === 'hang') hung = Array.from({ length: 30 }, () => world.slack.hold('views.publish'));
    else if (fault.kind === 'home off') world.slack.homeTabEnabled = false;
    // More than a whole flow makes: every publish fails.
    else for (let i = 0; i < 30; i += 1) world.slack.failNext('views.publish', fault.error);
  }
  /**
   * Slack is well again. A hung publish it took late lands now, before the next open: a late one
   * could land after it, as a timed-out call may, and show an older state until the next change.
   */
  async function heal(): Promise<void> {
    for (const hold of hung) hold.release();
    hung = [];
    await new Promise((resolve) => setImmediate(resolve));
    world.slack.failures.delete('views.publish');
    world.slack.homeTabEnabled = true;
  }

  const publishes = () => world.slack.callsTo('views.publish').length;
  const failuresLogged = () => world.logs.lines().filter((l) => l.message === PUBLISH_FAILED);
  const homeText = (user: string) => JSON.stringify(world.slack.homes.get(user)?.view.blocks ?? []);
  const stored = async (user: string) => (await world.store.listByRequester(user, 1))[0];

  /**
   * Alice's request pending with her Home and Bob's open, then the fault injected: its ID, and how
   * many publishes came before the fault.
   */
  async function pendingWithHomesOpen(fault: Fault): Promise<{ id: string; before: number }> {
    await world.driver.openHome(CAST.employee);
    await world.driver.openHome(CAST.approver);
    await requestReset(world, CAST.employee, '1001', 'new desk phone');
    const id = (await stored(CAST.employee))?.id ?? '';
    const before = publishes();
    inject(fault);
    return { id, before };
  }

  /**
   * Each publish made under the fault failed and was logged once, naming the person and Slack's
   * error, and nothing else of the call: no token, no view, no response URL.
   */
  async function expectEachFailureLoggedOnce(failed: number): Promise<void> {
    expect(failed, 'the fault was met').to.be.above(0);
    await until(() => failuresLogged().length >= failed, `${failed} failed publishes logged`);
    const lines = failuresLogged();
    expect(lines, 'one line per failed publish').to.have.length(failed);
    for (const line of lines) {
      expect(line.user).to.be.a('string');
      expect(line.error).to.be.a('string').and.not.equal('');
      expect(JSON.stringify(line)).not.to.contain('/response/').and.not.contain('"blocks"');
    }
  }

  /** Opens the Home once Slack publishes again: it shows the person's request as it now stands. */
  async function expectNextOpenCurrent(user: string, status: RequestStatus): Promise<void> {
    const before = publishes();
    const answer = await world.driver.openHome(user);
    expect(answer.status).to.equal(200);
    expect(publishes()).to.equal(before + 1);
    expect(homeText(user), `${user}'s Home shows the request ${status}`).to.contain(MINE[status]);
  }

  const approvalHost = () => {
    const message = world.lastMessage(CAST.approvals);
    return { kind: 'message' as const, channel: message.channel, ts: message.ts };
  };

  /** The password the vendor issued reached its requester privately, once, and only them. */
  function expectDeliveredOnce(user: string): void {
    expect(world.vendor.calls, 'one vendor call').to.have.length(1);
    expect(world.vendor.issued).to.have.length(1);
    const [password] = world.vendor.issued as [string];
    const holders = world.slack.ephemerals.filter((e) => JSON.stringify(e).includes(password));
    expect(holders.map((e) => e.user)).to.deep.equal([user]);
  }

  for (const [what, fault] of FAULTS) {
    describe(what, () => {
      worldTest('while the Home tab opens: answered, logged once, and shown on the next open', async () => {
        await requestReset(world, CAST.employee, '1001', 'new desk phone');
        const before = publishes();
        inject(fault);
        const started = Date.now();
        const answer = await world.driver.openHome(CAST.employee);
        // The event is Slack's to retry if it is not answered: it is, whatever views.publish does.
        expect(answer.status).to.equal(200);
        // A rate limit is not waited for (Retry-After is 30 s): the Home is published again when opened.
        expect(Date.now() - started).to.be.below(10_000);
        await expectEachFailureLoggedOnce(publishes() - before);
        await heal();
        await expectNextOpenCurrent(CAST.employee, 'pending');
        await expectStillServing(world);
      });

      worldTest('while the Homes are republished after an approval and the reset', async () => {
        const { id, before } = await pendingWithHomesOpen(fault);
        expect(
          (await world.driver.click(CAST.approver, approvalHost(), 'sip_reset_approve')).status,
        ).to.equal(200);
        expect((await world.store.getRequest(id))?.status).to.equal('approved');
        const grant = world.lastMessage(CAST.employee);
        expect(findButton(grant.blocks, 'sip_reset_claim'), 'the grant reached the requester').to.not.equal(
          undefined,
        );
        const claim = await world.driver.click(
          CAST.employee,
          { kind: 'message', channel: grant.channel, ts: grant.ts },
          'sip_reset_claim',
        );
        expect(claim.status).to.equal(200);
        expect((await world.store.getRequest(id))?.status).to.equal('completed');
        expectDeliveredOnce(CAST.employee);
        await expectEachFailureLoggedOnce(publishes() - before);
        await heal();
        await expectNextOpenCurrent(CAST.employee, 'completed');
        const bobs = homeText(CAST.approver);
        await world.driver.openHome(CAST.approver);
        expect(homeText(CAST.approver))
          .to.contain('Approved by <@UBOB>')
          .and.contain('No request is waiting');
        if (fault.kind !== 'hang')
          expect(bobs, 'the failed publishes left it stale').to.contain('sip_reset_approve');
        await expectStillServing(world);
      });

      worldTest('while the Homes are republished after a denial', async () => {
        const { id, before } = await pendingWithHomesOpen(fault);
        await world.driver.click(CAST.approver, approvalHost(), 'sip_reset_deny');
        expect((await world.driver.submitModal(CAST.approver, { deny_reason: 'not yours' })).status).to.equal(
          200,
        );
        expect((await world.store.getRequest(id))?.status).to.equal('denied');
        const dm = world.slack.messages.filter((m) => m.channel === world.slack.dmOf(CAST.employee));
        expect(world.privateTo(CAST.employee) + JSON.stringify(dm), 'Alice was told why').to.contain(
          'not yours',
        );
        expect(world.vendor.calls).to.have.length(0);
        await expectEachFailureLoggedOnce(publishes() - before);
        await heal();
        await expectNextOpenCurrent(CAST.employee, 'denied');
        await expectStillServing(world);
      });

      worldTest('while the helpdesk’s Home is republished after a direct reset', async () => {
        await world.driver.openHome(CAST.helpdesk);
        const before = publishes();
        inject(fault);
        await requestReset(world, CAST.helpdesk, '1001');
        expect((await stored(CAST.helpdesk))?.status).to.equal('completed');
        expectDeliveredOnce(CAST.helpdesk);
        await expectEachFailureLoggedOnce(publishes() - before);
        await heal();
        await expectNextOpenCurrent(CAST.helpdesk, 'completed');
        expect(homeText(CAST.helpdesk)).to.contain('*1001* (Head office), asked by <@UHANA>');
        await expectStillServing(world);
      });
    });
  }

  worldTest('one person’s Home held by a hung views.publish holds nobody else’s', async () => {
    await requestReset(world, CAST.employee, '1001', 'new desk phone');
    const held = world.slack.hold('views.publish');
    const bobs = world.driver.openHome(CAST.approver);
    await held.arrived;
    await world.driver.openHome(CAST.employee);
    expect(homeText(CAST.employee)).to.contain(MINE.pending);
    // Still held: Bob's publish gives up at SLACK_TIMEOUT_MS, logged, and his event is answered.
    expect((await bobs).status).to.equal(200);
    held.release();
    expect(failuresLogged().map((l) => l.user)).to.deep.equal([CAST.approver]);
  });

  worldTest('one person’s rate-limited Home holds nobody else’s: the next publish goes at once', async () => {
    world.slack.failNext('views.publish', 'ratelimited');
    await world.driver.openHome(CAST.approver);
    expect(world.slack.homes.has(CAST.approver)).to.equal(false);
    const started = Date.now();
    await world.driver.openHome(CAST.employee);
    expect(Date.now() - started).to.be.below(10_000);
    expect(homeText(CAST.employee)).to.contain('You have not asked for a reset yet');
    expect(failuresLogged().map((l) => l.user)).to.deep.equal([CAST.approver]);
    expect(failuresLogged()[0]?.error).to.match(/rate-limit/);
  });

  worldTest('a grant waits for no hung Home: the requester has it while views.publish hangs', async () => {
    await world.driver.openHome(CAST.approver);
    await requestReset(world, CAST.employee, '1001', 'new desk phone');
    const held = world.slack.hold('views.publish');
    const click = world.driver.click(CAST.approver, approvalHost(), 'sip_reset_approve');
    await held.arrived;
    await until(
      () => world.slack.messages.some((m) => m.channel === world.slack.dmOf(CAST.employee)),
      'the grant DM posted while the Home publish is held',
    );
    held.release();
    expect((await click).status).to.equal(200);
  });
});
