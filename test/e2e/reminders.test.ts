import { expect } from 'chai';
import { CAST } from '../../sandbox/world.js';
import { Cleanup } from '../helpers/cleanup.js';
import { requestReset, type TestWorld, worldOnPostgres, worldTest } from '../helpers/world.js';
const MINUTE = 60_000;

describe('e2e: reminders and expiry notices, two instances on PostgreSQL', () => {
  let world: TestWorld;
  let clock: number;
  const cleanup = new Cleanup();

  beforeEach(async function () {
    clock = Date.now();
    world = await worldOnPostgres(this, cleanup, { now: () => clock });
    await world.addInstance();
  });

  afterEach(() => cleanup.run());

  /** The approval message of a new request. */
  async function approvalOfNewRequest(account = '1001') {
    await requestReset(world, CAST.employee, account, 'lost it');
    return world.lastMessage(CAST.approvals);
  }
  const threadOf = (ts: string) => world.slack.messages.filter((m) => m.threadTs === ts);

  worldTest(
    'reminds the approvers once, in the thread, half-way to expiry, however many sweeps run',
    async () => {
      const approval = await approvalOfNewRequest();
      clock += 29 * MINUTE;
      await world.sweepAll();
      expect(threadOf(approval.ts), 'not before half-way').to.have.length(0);

      clock += 2 * MINUTE;
      await Promise.all([world.sweepAll(), world.sweepAll(), world.sweepAll()]);
      await world.sweepAll();
      const replies = threadOf(approval.ts);
      expect(replies).to.have.length(1);
      expect(replies[0]?.channel).to.equal(CAST.approvals);
      expect(replies[0]?.text)
        .to.contain('<@UBOB>, <@UDAVE>, <!subteam^SHELPDESK>')
        .and.contain('*1001* (Head office) still waits for a decision');
      expect((await world.store.listByRequester(CAST.employee, 1))[0]?.remindedAt).to.equal(clock);

      // Then it expires: the requester is told once, the channel's message shows it.
      clock += 30 * MINUTE;
      await Promise.all([world.sweepAll(), world.sweepAll()]);
      const told = world.slack.messages.filter(
        (m) =>
          m.channel === world.slack.dmOf(CAST.employee) && m.text.includes('expired before anyone decided'),
      );
      expect(told).to.have.length(1);
      expect(JSON.stringify(approval.blocks), 'the request message, updated').to.contain(
        ':hourglass: Expired',
      );
      expect(threadOf(approval.ts)).to.have.length(1);
    },
  );

  worldTest('does not remind of a request decided before half-way', async () => {
    const approval = await approvalOfNewRequest();
    await world.driver.click(
      CAST.approver,
      { kind: 'message', channel: approval.channel, ts: approval.ts },
      'sip_reset_approve',
    );
    clock += 40 * MINUTE;
    await world.sweepAll();
    expect(threadOf(approval.ts)).to.have.length(0);
  });

  worldTest('tells the requester, in the grant DM, when an approval expires unused', async () => {
    const approval = await approvalOfNewRequest();
    await world.driver.click(
      CAST.approver,
      { kind: 'message', channel: approval.channel, ts: approval.ts },
      'sip_reset_approve',
    );
    clock += 481 * MINUTE;
    await world.sweepAll();
    const dm = world.lastMessage(CAST.employee);
    expect(dm.text).to.contain('expired unused');
    expect(JSON.stringify(dm.blocks)).not.to.contain('sip_reset_claim');
  });
});
