import { expect } from 'chai';
import type { PublicMessage } from '../../sandbox/slack-stub.js';
import { CAST, SIGNING_SECRET } from '../../sandbox/world.js';
import { parseCheckpoint } from '../../src/domain/audit.js';
import { expectNoSecret } from '../helpers/leaks.js';
import { requestReset, testWorld, type TestWorld, worldTest } from '../helpers/world.js';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe('e2e: the audit channel', () => {
  let world: TestWorld;
  let clock: number;

  const start = async (env: Record<string, string> = {}) => {
    // Mid-morning UTC, so that a day later is another day and minutes later the same one.
    clock = Date.UTC(2026, 11, 7, 9, 0);
    world = await testWorld({ now: () => clock, env: { SIP_RESET_AUDIT_CHANNEL: CAST.audit, ...env } });
  };
  afterEach(() => world.stop());

  /** What the audit channel holds, once every line started so far is posted. */
  async function auditLines(): Promise<PublicMessage[]> {
    await world.sipReset.services.auditChannel?.settled();
    return world.slack.messages.filter((m) => m.channel === CAST.audit);
  }
  const outcomes = async () =>
    (await auditLines()).map((m) => m.text).filter((text) => !text.startsWith(':lock:'));
  const checkpoints = async () =>
    (await auditLines()).map((m) => m.text).filter((text) => text.startsWith(':lock:'));

  const onMessage = (message: PublicMessage) =>
    ({ kind: 'message', channel: message.channel, ts: message.ts }) as const;
  const approvalMessage = () => world.lastMessage(CAST.approvals);

  worldTest(
    'receives one line for every final outcome: who asked, who approved, what happened, never a secret',
    async () => {
      await start();
      await requestReset(world, CAST.helpdesk, '1002');

      await requestReset(world, CAST.employee, '1001', 'Lost it <!channel>');
      await world.driver.click(CAST.approver, onMessage(approvalMessage()), 'sip_reset_approve');
      await world.driver.click(CAST.employee, onMessage(world.lastMessage(CAST.employee)), 'sip_reset_claim');

      await requestReset(world, CAST.employee, '1003', 'Lost it <!channel>');
      await world.driver.click(CAST.secondApprover, onMessage(approvalMessage()), 'sip_reset_deny');
      await world.driver.submitModal(CAST.secondApprover, { deny_reason: 'Ask the helpdesk' });

      await requestReset(world, CAST.employee, '1001', 'Lost it <!channel>');
      const pending = world.lastPrivate(CAST.employee, 'sip_reset_cancel');
      await world.driver.click(CAST.employee, { kind: 'ephemeral', id: pending.id }, 'sip_reset_cancel');

      world.vendor.faults.push({ kind: 'status', status: '-24' });
      await requestReset(world, CAST.helpdesk, '1003');
      world.vendor.faults.push({ kind: 'status', status: '-18' });
      await requestReset(world, CAST.helpdesk, '1001');

      await requestReset(world, CAST.employee, '1002', 'Lost it <!channel>');
      clock += 61 * MINUTE;
      await world.sweepAll();

      expect(await outcomes()).to.deep.equal([
        ':white_check_mark: Password reset: *1002* (Head office). Asked by <@UHANA>. No approval needed.',
        ':white_check_mark: Password reset: *1001* (Head office). Asked by <@UALICE>. Approved by <@UBOB>.',
        ':no_entry_sign: Request denied: *1003* (Head office). Asked by <@UALICE>. Denied by <@UDAVE>.',
        ':heavy_multiplication_x: Request cancelled: *1001* (Head office). Asked by <@UALICE>. Cancelled by <@UALICE>.',
        ':x: Reset failed: *1003* (Head office). Why: ITNIO has no such account (`account_not_found`). Asked by <@UHANA>. No approval needed.',
        ':warning: Reset outcome unknown: *1001* (Head office). Why: ITNIO reported a system error (`system_error`). Asked by <@UHANA>. No approval needed.',
        ':hourglass: Request expired: *1002* (Head office). Asked by <@UALICE>.',
      ]);
      const posted = JSON.stringify(await auditLines());
      expect(world.vendor.issued).to.have.length(2);
      expectNoSecret(posted, {
        ...Object.fromEntries(world.vendor.issued.map((password, i) => [`password ${i + 1}`, password])),
        'the API secret': world.config.itnio.apiSecret,
        'the signing secret': SIGNING_SECRET,
        'the bot token': world.config.slack.botToken,
      });
      expect(posted, 'no response URL, no free text').not.to.match(/https?:|Lost it|Ask the helpdesk/);
    },
  );

  worldTest("speaks the default locale's language", async () => {
    await start({ SIP_RESET_DEFAULT_LOCALE: 'zh-CN' });
    await requestReset(world, CAST.helpdesk, '1002');
    expect(await outcomes()).to.deep.equal([
      ':white_check_mark: 话机密码已重置：话机账号 *1002* （Head office）。申请人：<@UHANA>。无需审批。',
    ]);
  });

  worldTest(
    "posts the chain's checkpoint once a day across instances, which verify holds the database to",
    async () => {
      await start();
      // The first start's sweep posted today's, of a chain still empty.
      expect(await checkpoints()).to.deep.equal([
        `:lock: Audit checkpoint for 2026-12-07: row 0. Kept here, outside the database, \`npm run audit -- verify --expect 0:${'0'.repeat(64)}\` shows later whether the audit trail still holds it.\n\`0:${'0'.repeat(64)}\``,
      ]);
      await world.addInstance();
      await Promise.all([world.sweepAll(), world.sweepAll()]);
      clock += 3 * 60 * MINUTE;
      await world.sweepAll();
      expect(await checkpoints(), 'one a day, however many instances sweep').to.have.length(1);

      await requestReset(world, CAST.helpdesk, '1002');
      clock += DAY;
      await Promise.all([world.sweepAll(), world.sweepAll()]);
      const posted = await checkpoints();
      expect(posted).to.have.length(2);
      expect(posted[1]).to.match(/^:lock: Audit checkpoint for 2026-12-08: row 6\. /);
      const checkpoint = parseCheckpoint(/`([^`]+)`$/.exec(posted[1] ?? '')?.[1] ?? '');
      expect(checkpoint).to.deep.equal(await world.store.auditHead());
      expect(await world.store.verifyAudit({ expect: checkpoint ? [checkpoint] : [] })).to.deep.equal({
        ok: true,
        rows: 6,
      });
    },
  );

  worldTest('tries again at a later sweep when Slack refused the checkpoint', async () => {
    await start();
    clock += DAY;
    world.slack.botAbsent.add(CAST.audit);
    await world.sweepAll();
    expect(await checkpoints()).to.have.length(1);
    expect(world.logs.lines().map((line) => line.message)).to.include('could not post to the audit channel');
    world.slack.botAbsent.delete(CAST.audit);
    await world.sweepAll();
    expect((await checkpoints()).at(-1)).to.match(/^:lock: Audit checkpoint for 2026-12-08: row 0\. /);
    await world.sweepAll();
    expect(await checkpoints()).to.have.length(2);
  });

  worldTest(
    'takes over the claim of an instance that died before posting, once its lease is over',
    async () => {
      await start();
      clock += DAY;
      // Another instance claimed the day, then died: its claim holds for the lease (10 minutes).
      expect(await world.store.claimAuditCheckpoint('2026-12-08', clock, 10 * MINUTE)).to.equal(true);
      await world.sweepAll();
      clock += 9 * MINUTE;
      await world.sweepAll();
      expect(await checkpoints()).to.have.length(1);
      clock += 2 * MINUTE;
      await world.sweepAll();
      expect(await checkpoints()).to.have.length(2);
    },
  );

  worldTest('posts nothing anywhere when no audit channel is set', async () => {
    clock = Date.now();
    world = await testWorld({ now: () => clock });
    await requestReset(world, CAST.helpdesk, '1002');
    expect(world.sipReset.services.auditChannel).to.equal(undefined);
    expect(world.slack.messages.filter((m) => m.channel === CAST.audit)).to.deep.equal([]);
  });
});
