import { expect } from 'chai';
import { findButton, type Acknowledgement, type Driver } from '../../sandbox/slack-driver.js';
import type { StepExecution } from '../../sandbox/function-executions.js';
import { CAST } from '../../sandbox/world.js';
import { en } from '../../src/i18n/en/index.js';
import { lockDatabase } from '../helpers/sqlite-lock.js';
import { expectNoSecret } from '../helpers/leaks.js';
import { testWorld, worldTest, type TestSocketWorld, type TestWorld } from '../helpers/world.js';

const STEP = 'reset_sip_password';
/** What a person running the workflow hands the step: Slack's user_context of them, with its secret. */
const runBy = (user: string, account: string, extra: Record<string, unknown> = {}) => ({
  requester: { id: user, secret: `uc-secret-${user}` },
  account,
  voice_app: 'Head office',
  ...extra,
});

/**
 * The Workflow Builder step end to end: Slack's function_executed into the real receiver (signed
 * HTTP, and a Socket Mode envelope), the request made by the domain's intake on SQLite, and the
 * step completed with functions.completeSuccess or completeError by the run's own token.
 */
describe('e2e: the Workflow Builder step', () => {
  for (const mode of ['http', 'socket'] as const) {
    describe(`over ${mode === 'http' ? 'signed HTTP' : 'Socket Mode'}`, () => {
      let world: TestWorld | TestSocketWorld;
      beforeEach(async () => {
        world = mode === 'http' ? await testWorld() : await testWorld({ mode: 'socket' });
      });
      afterEach(() => world.stop());

      const driver = () => world.driver as Driver<Acknowledgement>;
      const run = (inputs: Record<string, unknown>) => driver().runStep(STEP, inputs);
      const outputsOf = (step: StepExecution) => {
        expect(step.completion?.kind, 'completed with success').to.equal('success');
        return (step.completion as { outputs: Record<string, string> }).outputs;
      };
      const stored = async (user: string) => world.store.listByRequester(user, 5);

      worldTest(
        'a helpdesk agent: awaiting_requester, a Reset now DM whose click delivers the password privately',
        async () => {
          const { run: step } = await run(runBy(CAST.helpdesk, '1001', { reason: 'new desk' }));
          const outputs = outputsOf(step);
          const [request] = await stored(CAST.helpdesk);
          expect(outputs).to.deep.equal({
            request_id: request?.id,
            status: 'awaiting_requester',
            message: outputs.message,
          });
          expect(outputs.message).to.contain('1001').and.contain('Head office').and.not.match(/[*<]/);
          expect(request?.status).to.equal('approved');
          expect(world.vendor.calls, 'nothing reset before the click').to.have.length(0);
          // The completion used the run's own token, once.
          const completions = world.slack.callsTo('functions.completeSuccess');
          expect(completions).to.have.length(1);

          const dm = world.lastMessage(CAST.helpdesk);
          expect(dm.text).to.contain('without approval').and.not.contain('approved by');
          await driver().click(
            CAST.helpdesk,
            { kind: 'message', channel: dm.channel, ts: dm.ts },
            'sip_reset_claim',
          );
          const password = world.vendor.passwords.get('4luaKsL2/1001') as string;
          expect(password).to.be.a('string');
          expect(
            JSON.stringify(world.lastPrivate(CAST.helpdesk, 'sip_reset_remove_password').blocks),
          ).to.contain(password);
          expect((await stored(CAST.helpdesk))[0]?.status).to.equal('completed');
          expectNoSecret(JSON.stringify(step.completion), { password });
          expectNoSecret(JSON.stringify(completions), { password });
          expectNoSecret(world.logs.text(), {
            token: step.token,
            'user_context secret': `uc-secret-${CAST.helpdesk}`,
          });
        },
      );

      worldTest(
        'an employee: pending_approval, the request posted for approval, told privately',
        async () => {
          const { run: step } = await run(runBy(CAST.employee, '1001', { reason: 'lost my password' }));
          const outputs = outputsOf(step);
          const [request] = await stored(CAST.employee);
          expect(outputs).to.include({ status: 'pending_approval', request_id: request?.id });
          expect(request?.status).to.equal('pending');
          const approval = world.lastMessage(CAST.approvals);
          expect(findButton(approval.blocks, 'sip_reset_approve')).to.not.equal(undefined);
          expect(world.lastMessage(CAST.employee).text).to.match(/waiting for approval in <#CAPPROVALS>/);
        },
      );

      worldTest('an invalid account: refused in words, no request, nothing sent', async () => {
        const { run: step } = await run(runBy(CAST.employee, '10 01'));
        const outputs = outputsOf(step);
        expect(outputs.status).to.equal('refused');
        expect(outputs).not.to.have.property('request_id');
        expect(outputs.message).to.equal(
          'No reset was requested. A SIP account has no spaces or control characters.',
        );
        expect(await stored(CAST.employee)).to.have.length(0);
        expect(world.slack.messages).to.have.length(0);
      });

      worldTest('says which voice application to name when several are set up and none is', async () => {
        const { run: step } = await run(runBy(CAST.helpdesk, '1001', { voice_app: '' }));
        expect(outputsOf(step)).to.include({ status: 'refused' });
        expect(outputsOf(step).message)
          .to.contain('Head office (4luaKsL2)')
          .and.contain('Warehouse (Xy12ab)');
        const byId = await run(runBy(CAST.helpdesk, '1001', { voice_app: '4luaKsL2' }));
        expect(outputsOf(byId.run).status, 'by its ID too').to.equal('awaiting_requester');
      });

      worldTest("answers in the requester's language", async () => {
        const { run: step } = await run(runBy(CAST.chineseEmployee, '1003', { reason: '换了工位' }));
        expect(outputsOf(step)).to.include({ status: 'pending_approval' });
        expect(outputsOf(step).message).to.contain('等待审批');
      });

      worldTest('a run delivered again makes no second request, nor a second message', async () => {
        const { run: step } = await run(runBy(CAST.employee, '1001', { reason: 'lost my password' }));
        const posts = world.slack.callsTo('chat.postMessage').length;
        await driver().deliverStep(step);
        expect(await stored(CAST.employee)).to.have.length(1);
        expect(world.slack.callsTo('chat.postMessage')).to.have.length(posts);
        // Slack refuses a second completion of a completed run; the app logs it and goes on.
        expect(world.slack.callsTo('functions.completeSuccess')).to.have.length(2);
        expect(outputsOf(step).status).to.equal('pending_approval');
        expect(world.logs.text()).to.contain('could not complete a workflow step');
      });

      worldTest(
        'a run delivered again after its request was withdrawn (its DM refused) is refused again, in words',
        async () => {
          world.slack.failNext('chat.postMessage', 'cannot_dm_bot');
          const { run: step } = await run(runBy(CAST.helpdesk, '1001'));
          expect(outputsOf(step)).to.include({
            status: 'refused',
            message: `${en.stepRefused} ${en.stepNoDirectMessage}`,
          });
          await driver().deliverStep(step);
          const again = world.slack.callsTo('functions.completeSuccess').at(-1)?.args.outputs;
          expect(again).to.deep.include({
            status: 'refused',
            request_id: outputsOf(step).request_id,
            message: `${en.stepRefused} ${en.stepNoDirectMessage}`,
          });
        },
      );
    });
  }

  describe('when the database fails', () => {
    let world: TestWorld;
    let release: (() => void) | undefined;
    beforeEach(async () => {
      world = await testWorld({ store: { sqliteBusyTimeoutMs: 10 } });
    });
    afterEach(async () => {
      release?.();
      await world.stop();
    });

    worldTest('fails the step with completeError, in words that hold no secret', async () => {
      release = lockDatabase(world.config.databaseUrl);
      const { run: step } = await world.driver.runStep(STEP, runBy(CAST.employee, '1001', { reason: 'x' }));
      release();
      release = undefined;
      expect(step.completion?.kind).to.equal('error');
      const { error } = step.completion as { error: string };
      expect(error).to.match(/fault on its side\. Nothing was reset/);
      expectNoSecret(error, {
        token: step.token,
        'bot token': world.config.slack.botToken,
        'user_context secret': `uc-secret-${CAST.employee}`,
      });
      expect(world.slack.callsTo('functions.completeSuccess')).to.have.length(0);
      expect(world.vendor.calls).to.have.length(0);
    });
  });
});
