import { expect } from 'chai';
import type { Acknowledgement, Driver } from '../../sandbox/slack-driver.js';
import type { StepExecution } from '../../sandbox/function-executions.js';
import { CAST } from '../../sandbox/world.js';
import { expectNoSecret } from '../helpers/leaks.js';
import {
  databaseContents,
  testWorld,
  worldTest,
  type TestSocketWorld,
  type TestWorld,
} from '../helpers/world.js';

const STEP = 'reset_sip_password';
type AnyWorld = TestWorld | TestSocketWorld;

/** Inputs no workflow should hand the step, but Slack's event could carry. */
const ODD_INPUTS: Array<[string, Record<string, unknown>]> = [
  ['no inputs at all', {}],
  ['requester a string', { requester: CAST.helpdesk, account: '1001', reason: 'x' }],
  ['requester null', { requester: null, account: '1001', reason: 'x' }],
  ['requester an array', { requester: [{ id: CAST.helpdesk }], account: '1001', reason: 'x' }],
  ['requester with a numeric id', { requester: { id: 42 }, account: '1001', reason: 'x' }],
  ['account an array', { requester: { id: CAST.helpdesk, secret: 's' }, account: ['1001'], reason: 'x' }],
  ['account an object', { requester: { id: CAST.helpdesk }, account: { id: '1001' }, reason: 'x' }],
  ['account a number', { requester: { id: CAST.helpdesk }, account: 1001, reason: 'x' }],
  ['voice_app an array', { requester: { id: CAST.helpdesk }, account: '1001', voice_app: ['Head office'] }],
  ['a huge account', { requester: { id: CAST.employee }, account: '1'.repeat(200_000), reason: 'x' }],
  ['a huge reason', { requester: { id: CAST.employee }, account: '1001', reason: 'r'.repeat(200_000) }],
  ['a huge voice_app', { requester: { id: CAST.employee }, account: '1001', voice_app: 'v'.repeat(200_000) }],
  ['mentions in the reason', { requester: { id: CAST.employee }, account: '1003', reason: '<!channel> hi' }],
  ['an unknown user', { requester: { id: 'UNOBODY' }, account: '1001', reason: 'x' }],
];

/** The process still serves, over either receiver: `/sip-reset help` still answers. */
async function expectStillServing(world: AnyWorld): Promise<void> {
  const answer = await (world.driver as Driver<Acknowledgement>).command(CAST.helpdesk, 'help', CAST.general);
  expect(answer.json().text, 'help still answers').to.be.a('string');
}

for (const mode of ['http', 'socket'] as const) {
  describe(`attack: the Workflow Builder step, over ${mode === 'http' ? 'signed HTTP' : 'Socket Mode'}`, () => {
    let world: AnyWorld;
    beforeEach(async () => {
      world = mode === 'http' ? await testWorld() : await testWorld({ mode: 'socket' });
    });
    afterEach(() => world.stop());
    const driver = () => world.driver as Driver<Acknowledgement>;

    for (const [what, inputs] of ODD_INPUTS) {
      worldTest(`${what}: the step completes, in words, with no password and nothing reset`, async () => {
        const { run } = await driver().runStep(STEP, inputs);
        expect(run.completion, 'the run is completed, not left hanging').to.not.equal(undefined);
        if (run.completion?.kind === 'success') {
          const outputs = run.completion.outputs as Record<string, string>;
          expect(['awaiting_requester', 'pending_approval', 'refused']).to.include(outputs.status);
          expect(outputs.message).to.be.a('string').and.not.equal('');
          expect(String(outputs.message).length, 'the message stays short').to.be.below(2_000);
        }
        expect(world.vendor.calls, 'a step never resets').to.have.length(0);
        const shown = JSON.stringify(world.slack.calls.filter((c) => c.method.startsWith('chat.')));
        expect(shown).not.to.contain('<!channel>');
        expectNoSecret(world.logs.text(), { token: run.token });
        await expectStillServing(world);
      });
    }

    worldTest('an event whose inputs are missing or not an object never ends the process', async () => {
      const run = world.slack.steps.start(STEP, {});
      for (const inputs of [undefined, null, 'x', ['a']]) {
        const event = { ...world.slack.steps.eventOf(run), inputs };
        if (inputs === undefined) delete (event as Record<string, unknown>).inputs;
        await driver().event(event);
      }
      expect(world.vendor.calls).to.have.length(0);
      if (mode === 'socket') {
        // Over HTTP the request guard refuses such an event before Bolt; a Socket Mode envelope reaches
        // the step, which completes it as refused rather than leaving the run hanging.
        expect(run.completion, 'completed as refused').to.deep.include({ kind: 'success' });
        expect((run.completion as { outputs: Record<string, string> }).outputs.status).to.equal('refused');
      }
      await expectStillServing(world);
    });

    worldTest('a reason longer than the form takes is refused in words, and nothing is stored', async () => {
      const { run } = await driver().runStep(STEP, {
        requester: { id: CAST.employee },
        account: '1001',
        voice_app: 'Head office',
        reason: 'r'.repeat(501),
      });
      const outputs = (run.completion as { outputs: Record<string, string> }).outputs;
      expect(outputs).to.include({ status: 'refused' });
      expect(outputs.message).to.contain('at most 500 characters');
      expect(await world.store.listByRequester(CAST.employee, 5)).to.have.length(0);
    });

    worldTest(
      'a forged bot_access_token: the completion is refused by Slack, the token is never logged',
      async () => {
        const run = world.slack.steps.start(STEP, {
          requester: { id: CAST.employee },
          account: '1001',
          voice_app: 'Head office',
          reason: 'x',
        });
        const forged = 'xwfp-9-forgedforgedforgedforged';
        await driver().event({ ...world.slack.steps.eventOf(run), bot_access_token: forged });
        expect(run.completion, 'Slack refuses a completion with another token').to.equal(undefined);
        expect(world.logs.text()).to.contain('could not complete a workflow step');
        expectNoSecret(world.logs.text(), { forged, token: run.token });
        // Delivered again with its own token: the same request, now completed.
        await driver().deliverStep(run);
        expect((run.completion as { kind: string } | undefined)?.kind).to.equal('success');
        expect(await world.store.listByRequester(CAST.employee, 5)).to.have.length(1);
      },
    );

    worldTest('redelivered five times at once: one request, one approval message', async () => {
      const run = world.slack.steps.start(STEP, {
        requester: { id: CAST.employee, secret: 'uc-secret-alice' },
        account: '1001',
        voice_app: 'Head office',
        reason: 'new desk',
      });
      await Promise.all(Array.from({ length: 5 }, () => driver().deliverStep(run)));
      expect(await world.store.listByRequester(CAST.employee, 5)).to.have.length(1);
      const posted = world.slack.messages.filter((m) => m.channel === CAST.approvals);
      expect(posted).to.have.length(1);
      expect(run.completion?.kind).to.equal('success');
      const secrets = { token: run.token, 'user_context secret': 'uc-secret-alice' };
      expectNoSecret(world.logs.text(), secrets);
      expectNoSecret(await databaseContents(world.config.databaseUrl), secrets);
      expectNoSecret(
        JSON.stringify(world.slack.calls.filter((c) => !c.method.startsWith('functions.'))),
        secrets,
      );
    });
  });
}

describe('attack: the Workflow Builder step, replayed byte for byte (signed HTTP)', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await testWorld();
  });
  afterEach(() => world.stop());

  worldTest('a replay makes no second request and no second message', async () => {
    const { run } = await world.driver.runStep(STEP, {
      requester: { id: CAST.helpdesk, secret: 'uc-secret-hana' },
      account: '1001',
      voice_app: 'Head office',
      reason: 'new desk',
    });
    const posts = world.slack.callsTo('chat.postMessage').length;
    const replayed = await world.driver.replay();
    expect(replayed.status).to.be.below(500);
    expect(await world.store.listByRequester(CAST.helpdesk, 5)).to.have.length(1);
    expect(world.slack.callsTo('chat.postMessage')).to.have.length(posts);
    expect((run as StepExecution).completion?.kind).to.equal('success');
  });
});
