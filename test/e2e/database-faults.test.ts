import { performance } from 'node:perf_hooks';
import { expect } from 'chai';
import { findButton } from '../../sandbox/slack-driver.js';
import { lockDatabase } from '../helpers/sqlite-lock.js';
import { CAST } from '../../sandbox/world.js';
import { until } from '../helpers/until.js';
import { requestReset, testWorld, worldTest, type TestWorld } from '../helpers/world.js';
import { HEAD_OFFICE } from '../helpers/requests.js';
const MINUTE = 60_000;

describe('e2e: the database fails (SQLite locked by another connection)', () => {
  let world: TestWorld;
  let clock: number;
  let release: (() => void) | undefined;

  beforeEach(async () => {
    clock = Date.now();
    world = await testWorld({
      now: () => clock,
      store: { sqliteBusyTimeoutMs: 10 },
      recordRetryDelaysMs: Array.from({ length: 12 }, () => 25),
    });
  });
  afterEach(async () => {
    release?.();
    release = undefined;
    await world.stop();
  });

  const lock = () => {
    release = lockDatabase(world.config.databaseUrl);
  };
  const unlock = () => {
    release?.();
    release = undefined;
  };
  const passwordShownTo = (user: string) =>
    world.slack.ephemerals.some(
      (e) => e.user === user && (e.blocks ?? []).some((block) => block.type === 'rich_text'),
    );
  const passwordShown = () => passwordShownTo(CAST.helpdesk);
  const stored = async (user: string) => (await world.store.listByRequester(user, 1))[0];

  const directReset = () => requestReset(world, CAST.helpdesk, '1001');

  worldTest(
    'delivers the password first when the write after the vendor answer fails, then records it',
    async () => {
      world.vendor.duringReset.push(lock);
      const submitted = directReset();
      await until(passwordShown, 'the password reached its requester');
      expect((await stored(CAST.helpdesk))?.status, 'not recorded yet').to.equal('resetting');
      // The lock outlasts the store's wait (10 ms here), so the outcome's record is tried again.
      await until(
        () => world.logs.text().includes('could not record a reset outcome; trying again'),
        'the record retried',
      );
      unlock();
      await submitted;
      expect((await stored(CAST.helpdesk))?.status).to.equal('completed');
      clock += 10 * MINUTE;
      await world.sipReset.sweep();
      expect((await stored(CAST.helpdesk))?.status, 'never taken for an interrupted reset').to.equal(
        'completed',
      );
      expect(world.vendor.calls).to.have.length(1);
    },
  );

  worldTest(
    'keeps an outcome the database refused past every retry, and the sweep records it later',
    async () => {
      world.vendor.duringReset.push(lock);
      await directReset();
      expect(passwordShown()).to.equal(true);
      expect(world.logs.text()).to.contain('the sweep will keep trying');
      clock += 10 * MINUTE;
      await world.sipReset.sweep();
      expect((await stored(CAST.helpdesk))?.status, 'still locked, never outcome_unknown').to.equal(
        'resetting',
      );
      unlock();
      await world.sipReset.sweep();
      expect((await stored(CAST.helpdesk))?.status).to.equal('completed');
      const told = world.slack.messages.filter((m) => m.channel === world.slack.dmOf(CAST.helpdesk));
      expect(told.map((m) => m.text).join(), 'nobody is told it was interrupted').not.to.match(/interrupted/);
    },
  );

  worldTest(
    'takes the "Reset now" button out of the grant DM even when the database refuses the outcome',
    async () => {
      await requestReset(world, CAST.employee, '1001', 'lost it');
      const approval = world.lastMessage(CAST.approvals);
      const on = (message: { channel: string; ts: string }) =>
        ({ kind: 'message', channel: message.channel, ts: message.ts }) as const;
      await world.driver.click(CAST.approver, on(approval), 'sip_reset_approve');
      const grant = world.lastMessage(CAST.employee);
      expect(findButton(grant.blocks, 'sip_reset_claim')).to.not.equal(undefined);
      // The database goes once the vendor has the reset, and stays away past every retry.
      world.vendor.duringReset.push(lock);
      await world.driver.click(CAST.employee, on(grant), 'sip_reset_claim');
      expect(passwordShownTo(CAST.employee), 'the password reached its requester').to.equal(true);
      expect(world.logs.text()).to.contain('the sweep will keep trying');
      const redrawn = world.lastMessage(CAST.employee);
      expect(redrawn.ts).to.equal(grant.ts);
      expect(findButton(redrawn.blocks, 'sip_reset_claim'), 'nothing left to press').to.equal(undefined);
      unlock();
      await world.sipReset.sweep();
      expect((await stored(CAST.employee))?.status).to.equal('completed');
      expect(world.vendor.calls).to.have.length(1);
    },
  );

  worldTest('tells the requester when their submission cannot be stored, and stores nothing', async () => {
    await world.driver.command(CAST.employee, '1001', CAST.general);
    lock();
    const answer = await world.driver.submitModal(CAST.employee, {
      account: '1001',
      app: HEAD_OFFICE,
      reason: 'lost it',
    });
    expect(answer.status).to.equal(200);
    expect(world.lastPrivate(CAST.employee).text).to.match(
      /Something went wrong on our side.*nothing was reset/,
    );
    unlock();
    expect(await stored(CAST.employee)).to.equal(undefined);
    expect(world.slack.messages, 'nothing posted for approval').to.have.length(0);
    expect(world.vendor.calls).to.have.length(0);
  });

  worldTest('tells an approver whose click cannot be stored, and changes nothing', async () => {
    await requestReset(world, CAST.employee, '1001', 'lost it');
    const message = world.lastMessage(CAST.approvals);
    const before = JSON.stringify(message.blocks);
    lock();
    await world.driver.click(
      CAST.approver,
      { kind: 'message', channel: message.channel, ts: message.ts },
      'sip_reset_approve',
    );
    unlock();
    expect(world.lastPrivate(CAST.approver).text).to.match(/Something went wrong on our side/);
    expect((await stored(CAST.employee))?.status).to.equal('pending');
    expect(await world.store.listApprovals((await stored(CAST.employee))?.id as string)).to.have.length(0);
    expect(JSON.stringify(world.lastMessage(CAST.approvals).blocks)).to.equal(before);
  });

  worldTest('keeps the Deny modal open with a message when the denial cannot be stored', async () => {
    await requestReset(world, CAST.employee, '1001', 'lost it');
    const message = world.lastMessage(CAST.approvals);
    await world.driver.click(
      CAST.approver,
      { kind: 'message', channel: message.channel, ts: message.ts },
      'sip_reset_deny',
    );
    lock();
    const answer = await world.driver.submitModal(CAST.approver, { deny_reason: 'no' });
    unlock();
    expect(answer.json()).to.deep.include({ response_action: 'errors' });
    expect(JSON.stringify(answer.json())).to.match(/Something went wrong on our side/);
    expect((await stored(CAST.employee))?.status).to.equal('pending');
  });
});

describe('e2e: SQLite locked by another connection for a second, within the store’s wait', () => {
  let world: TestWorld;
  let release: (() => void) | undefined;

  beforeEach(async () => {
    // Slack's calls time out well within the lock: a frozen event loop would fail the delivery.
    world = await testWorld({ env: { SLACK_TIMEOUT_MS: '300' } });
  });
  afterEach(async () => {
    release?.();
    await world.stop();
  });

  worldTest('a reset while SQLite is locked completes, its password delivered once', async () => {
    const held = new Promise<void>((resolve) => {
      world.vendor.duringReset.push(() => {
        release = lockDatabase(world.config.databaseUrl);
        setTimeout(() => {
          release?.();
          release = undefined;
          resolve();
        }, 1000);
      });
    });
    await world.driver.command(CAST.helpdesk, '1001', CAST.general);
    const started = performance.now();
    const answer = await world.driver.submitModal(CAST.helpdesk, { account: '1001', app: HEAD_OFFICE });
    expect(answer.status).to.equal(200);
    expect(performance.now() - started, 'acknowledged within Slack’s 3 s').to.be.below(3000);
    await held;
    await until(() => world.logs.text().includes('audit completed'), 'the outcome recorded');
    const [password] = world.vendor.issued;
    const holders = world.slack.ephemerals.filter((e) => JSON.stringify(e).includes(password ?? '?'));
    expect(
      holders.map((e) => e.user),
      'one delivery',
    ).to.deep.equal([CAST.helpdesk]);
    expect((await world.store.listByRequester(CAST.helpdesk, 1))[0]?.status).to.equal('completed');
    expect(world.logs.text()).not.to.contain('could not record');
    expect(world.vendor.calls).to.have.length(1);
  });
});
