import { WebClient } from '@slack/web-api';
import { expect } from 'chai';
import { SlackStub } from '../../sandbox/slack-stub.js';
import { rejection } from '../helpers/rejection.js';

/**
 * The stand-in keeps Slack's rules for a custom step's run (docs.slack.dev/reference/methods/
 * functions.completeSuccess, functions.completeError): only the run's own token completes it, once,
 * with the outputs the manifest declares. Called through the Web API client Bolt's complete() uses.
 */
describe('Slack stand-in: custom step runs', () => {
  let slack: SlackStub;
  const client = (token: string) =>
    new WebClient(token, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  const errorOf = async (call: Promise<unknown>) =>
    ((await rejection(call)) as { data?: { error?: string } }).data?.error;
  const INPUTS = { requester: { id: 'UALICE', secret: 's3cr3t' }, account: '1001' };

  beforeEach(async () => {
    slack = new SlackStub({ channels: { CGENERAL: ['UALICE'] } });
    await slack.start();
  });
  afterEach(() => slack.stop());

  it("starts a run with its own xwfp- token, its event carrying the manifest's definition", () => {
    const run = slack.steps.start('reset_sip_password', INPUTS);
    const other = slack.steps.start('reset_sip_password', INPUTS);
    expect(run.token).to.match(/^xwfp-/);
    expect(other.token).not.to.equal(run.token);
    expect(other.id).not.to.equal(run.id);
    const event = slack.steps.eventOf(run) as {
      function: { callback_id: string; output_parameters: Array<{ name: string }> };
    };
    expect(event).to.include({
      type: 'function_executed',
      function_execution_id: run.id,
      bot_access_token: run.token,
    });
    expect(event.function.callback_id).to.equal('reset_sip_password');
    expect(event.function.output_parameters.map((p) => p.name).sort()).to.deep.equal([
      'message',
      'request_id',
      'status',
    ]);
    expect(() => slack.steps.start('no_such_step', {})).to.throw(/declares no step/);
  });

  it("completes a run once, with its own token: another run's or the bot token is access_denied", async () => {
    const run = slack.steps.start('reset_sip_password', INPUTS);
    const other = slack.steps.start('reset_sip_password', INPUTS);
    const outputs = { status: 'refused', message: 'No reset was requested.' };
    const args = { function_execution_id: run.id, outputs };
    expect(await errorOf(client(slack.token).functions.completeSuccess(args))).to.equal('access_denied');
    expect(await errorOf(client(other.token).functions.completeSuccess(args))).to.equal('access_denied');
    expect(await errorOf(client('xwfp-forged').functions.completeSuccess(args))).to.equal('invalid_auth');
    expect(run.completion).to.equal(undefined);
    await client(run.token).functions.completeSuccess(args);
    expect(run.completion).to.deep.equal({ kind: 'success', outputs });
    // Completed, it cannot be found any more, as Slack answers; nor can an unknown run.
    expect(await errorOf(client(run.token).functions.completeSuccess(args))).to.equal(
      'function_execution_not_found',
    );
    expect(
      await errorOf(client(run.token).functions.completeError({ function_execution_id: run.id, error: 'x' })),
    ).to.equal('function_execution_not_found');
    expect(
      await errorOf(client(run.token).functions.completeSuccess({ function_execution_id: 'Fx9', outputs })),
    ).to.equal('function_execution_not_found');
  });

  it('refuses outputs the manifest does not declare, a required one missing, or one of another type', async () => {
    const run = slack.steps.start('reset_sip_password', INPUTS);
    const complete = (outputs: Record<string, unknown>) =>
      errorOf(client(run.token).functions.completeSuccess({ function_execution_id: run.id, outputs }));
    expect(await complete({ status: 'refused', message: 'm', password: 'pw' })).to.equal(
      'parameter_validation_failed',
    );
    expect(await complete({ status: 'refused' })).to.equal('parameter_validation_failed');
    expect(await complete({ status: 'refused', message: 'm', request_id: 7 })).to.equal(
      'parameter_validation_failed',
    );
    expect(run.completion, 'still running').to.equal(undefined);
  });

  it('fails a run with completeError, recording its error, once', async () => {
    const run = slack.steps.start('reset_sip_password', INPUTS);
    await client(run.token).functions.completeError({
      function_execution_id: run.id,
      error: 'the app failed',
    });
    expect(run.completion).to.deep.equal({ kind: 'error', error: 'the app failed' });
    expect(
      await errorOf(
        client(run.token).functions.completeSuccess({
          function_execution_id: run.id,
          outputs: { status: 'refused', message: 'm' },
        }),
      ),
    ).to.equal('function_execution_not_found');
  });
});
