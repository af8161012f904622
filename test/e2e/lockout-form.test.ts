import { expect } from 'chai';
import type { Acknowledgement, Driver } from '../../sandbox/slack-driver.js';
import type { StubPhone } from '../../sandbox/itnio-stub.js';
import { CAST } from '../../sandbox/world.js';
import { DomainError } from '../../src/domain/errors.js';
import { en } from '../../src/i18n/en/index.js';
import type {
  LockoutLauncher,
  LockoutPlan,
  LockoutProgressPlace,
  PreparedLockout,
} from '../../src/slack/flows/lockout-launcher.js';
import { HEAD_OFFICE } from '../helpers/requests.js';
import { testWorld, worldTest, type TestSocketWorld, type TestWorld } from '../helpers/world.js';

/** The lock-out engine as the form reaches it, recording what it is asked (the real one comes at merge). */
class RecordingLauncher implements LockoutLauncher {
  readonly prepared: LockoutPlan[] = [];
  readonly started: Array<{ campaignId: string; agentId: string }> = [];

  async prepare(plan: LockoutPlan): Promise<PreparedLockout> {
    this.prepared.push(plan);
    return { campaignId: `camp-${this.prepared.length}`, count: plan.targets.length };
  }

  async start(campaignId: string, agentId: string): Promise<LockoutProgressPlace> {
    if (this.started.some((s) => s.campaignId === campaignId)) throw new DomainError('already_decided');
    this.started.push({ campaignId, agentId });
    return { kind: 'thread', channel: CAST.approvals, ts: '1700000000.000100' };
  }
}

/** 30 phones in Head office, 1000 to 1029; Warehouse's 2001. */
const PHONES: Record<string, StubPhone[]> = {
  [HEAD_OFFICE]: Array.from({ length: 30 }, (_, i) => ({
    account: String(1000 + i),
    phoneName: `Desk ${i}`,
    groupName: 'Head office',
    password: `pw-${i}`,
  })),
};
const ACCOUNTS = { [HEAD_OFFICE]: PHONES[HEAD_OFFICE]?.map((p) => p.account) ?? [], Xy12ab: ['2001'] };

type AnyWorld = TestWorld | TestSocketWorld;
type View = { callback_id: string; blocks: Array<Record<string, unknown>> };
const modalOf = (world: AnyWorld, user: string) => world.driver.openedModal(user)?.view as View | undefined;

for (const mode of ['http', 'socket'] as const) {
  describe(`e2e: /sip-reset lockout, its form and its confirmation, over ${mode === 'http' ? 'HTTP' : 'Socket Mode'}`, () => {
    let world: AnyWorld;
    let launcher: RecordingLauncher;
    let driver: Driver<Acknowledgement>;
    beforeEach(async () => {
      launcher = new RecordingLauncher();
      const options = { directory: true, phones: PHONES, accounts: ACCOUNTS, lockouts: launcher };
      world = mode === 'socket' ? await testWorld({ ...options, mode: 'socket' }) : await testWorld(options);
      await world.sipReset.services.phoneDirectory?.refresh();
      driver = world.driver as Driver<Acknowledgement>;
    });
    afterEach(() => world.stop());

    worldTest(
      'refuses someone who is not a helpdesk agent privately, as history does, and opens nothing',
      async () => {
        await driver.command(CAST.employee, 'lockout', CAST.general);
        await driver.command(CAST.employee, 'history 1001', CAST.general);
        const [lockout, history] = world.slack.ephemerals.filter((e) => e.user === CAST.employee);
        expect(lockout).to.include({ text: en.lockoutForm.refused, via: history?.via });
        expect(history?.text).to.equal(en.history.refused);
        expect(world.slack.callsTo('views.open')).to.have.length(0);
        expect(launcher.prepared).to.have.length(0);
      },
    );

    worldTest(
      'opens the form for a helpdesk agent: a picker of the listed phones, a pasted list, every phone of an application',
      async () => {
        await driver.command(CAST.helpdesk, 'lockout', CAST.general);
        const view = modalOf(world, CAST.helpdesk);
        expect(view?.callback_id).to.equal('sip_reset_lockout');
        expect(view?.blocks.map((b) => b.block_id)).to.deep.equal([
          undefined,
          `account_phone:${HEAD_OFFICE}`,
          'account_phone:Xy12ab',
          'lockout_accounts',
          'lockout_app',
          'lockout_whole_app',
          'lockout_reason',
        ]);
        // The picker is answered by the reset form's options listener, from the directory.
        expect((await driver.suggest(CAST.helpdesk, 'Desk 12')).map((o) => o.value)).to.deep.equal(['1012']);
      },
    );

    worldTest('keeps the form open with a field error naming the bad account of a pasted list', async () => {
      await driver.command(CAST.helpdesk, 'lockout', CAST.general);
      const answer = await driver.submitModal(CAST.helpdesk, {
        lockout_accounts: '1001, 1002\n10x',
        lockout_app: HEAD_OFFICE,
        lockout_reason: 'Credentials leaked',
      });
      expect(answer.json()).to.deep.equal({
        response_action: 'errors',
        errors: {
          lockout_accounts: '"10x" is not a SIP account: an account has at least 4 characters.',
        },
      });
      expect(launcher.prepared).to.have.length(0);
    });

    worldTest(
      'locks out every phone the directory lists for a voice application, read from the database',
      async () => {
        await driver.command(CAST.helpdesk, 'lockout', CAST.general);
        await driver.submitModal(CAST.helpdesk, { lockout_whole_app: HEAD_OFFICE, lockout_reason: 'Leaked' });
        const [plan] = launcher.prepared;
        expect(plan?.wholeAppId).to.equal(HEAD_OFFICE);
        expect(plan?.targets.map((target) => target.account)).to.deep.equal(ACCOUNTS[HEAD_OFFICE]);
        expect(JSON.stringify(modalOf(world, CAST.helpdesk)?.blocks)).to.contain(
          'Every phone the phone directory lists for Head office.',
        );
      },
    );

    worldTest(
      'reviews a valid lock-out with its count and confirmation, and its confirmed button starts it',
      async () => {
        await driver.command(CAST.helpdesk, 'lockout', CAST.general);
        await driver.pick(CAST.helpdesk, '1012', 'Desk 12');
        await driver.pick(CAST.helpdesk, '1013', 'Desk 13');
        const pasted = Array.from({ length: 25 }, (_, i) => String(1000 + i)).join('; ');
        const answer = await driver.submitModal(CAST.helpdesk, {
          lockout_accounts: `${pasted}\n1025`,
          lockout_app: HEAD_OFFICE,
          lockout_reason: 'Credentials leaked',
        });
        expect(answer.json()).to.include({ response_action: 'update' });
        const [plan] = launcher.prepared;
        expect(plan?.agentId).to.equal(CAST.helpdesk);
        expect(plan?.targets, '1025 and 1026 picked, 1000 to 1023 and 1025 pasted, each once').to.have.length(
          26,
        );

        // The stand-in applied the update, checked as Slack checks it (the confirmation's limits too).
        const review = JSON.stringify(modalOf(world, CAST.helpdesk)?.blocks);
        expect(review).to.contain('*26 phones* of Head office will be locked out:').and.contain('and 6 more');
        expect(review).to.contain(
          'Lock out 26 phones? Their current passwords stop working at once; nobody sees the new ones.',
        );

        await driver.clickInModal(CAST.helpdesk, 'sip_reset_lockout_start');
        expect(launcher.started).to.deep.equal([{ campaignId: 'camp-1', agentId: CAST.helpdesk }]);
        expect(JSON.stringify(modalOf(world, CAST.helpdesk)?.blocks)).to.contain(
          `in its thread in <#${CAST.approvals}>`,
        );
        expect(world.vendor.calls, 'the form resets nothing itself').to.have.length(0);
      },
    );
  });
}
