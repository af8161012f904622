import { expect } from 'chai';
import { DomainError } from '../../../src/domain/errors.js';
import { catalogueFor } from '../../../src/i18n/index.js';
import {
  resetSipPasswordStep,
  type StepRun,
} from '../../../src/slack/listeners/functions/reset-sip-password.js';
import type { SlackServices } from '../../../src/slack/services.js';
import { buildArguments, fakeServices, stepRunOf } from '../../helpers/listener-args.js';
import { storedRequest } from '../../helpers/requests.js';

const t = catalogueFor('en');
const byAlice = (extra: Record<string, unknown> = {}) => ({
  requester: { id: 'UALICE', secret: 'uc-secret' },
  account: '1001',
  reason: 'new desk',
  ...extra,
});

function services() {
  const config = {
    itnio: { apps: [{ appId: 'app1', label: 'Head office' }] },
    approvalChannel: 'CAPPROVE',
  } as unknown as SlackServices['config'];
  const fakes = fakeServices({ config });
  fakes.intake.assess.resolves({ problems: {}, decision: { kind: 'approval' } });
  return fakes;
}

/** Bolt's arguments for a run, and its complete() and fail() as the stubs they are. */
const runOf = (inputs: Record<string, unknown>) => {
  const run = stepRunOf(inputs);
  return { args: buildArguments<StepRun>(run), complete: run.complete, fail: run.fail };
};

describe('listener: the Workflow Builder step reset_sip_password', () => {
  it("submits for the person running the workflow, the run's execution as its submission, waiting for their click", async () => {
    const fakes = services();
    const request = storedRequest({ requiredApprovals: 1 });
    fakes.intake.submit.resolves({ kind: 'pending', request });
    fakes.messages.post.resolves(request);
    const { args, complete, fail } = runOf(byAlice());
    await resetSipPasswordStep(fakes)(args);
    expect(fakes.intake.submit.firstCall.args).to.deep.equal([
      'UALICE',
      { account: '1001', appId: 'app1', reason: 'new desk', submissionId: 'Fx1', waitsForRequester: true },
    ]);
    expect(fakes.notices.tell.firstCall.args[0]).to.equal('UALICE');
    expect(complete.firstCall.args[0]).to.deep.equal({
      outputs: {
        request_id: request.id,
        status: 'pending_approval',
        message: t.stepPendingApproval('1001', 'Head office'),
      },
    });
    expect(fail.called).to.equal(false);
  });

  it('withdraws a direct request whose DM Slack refused, and says so', async () => {
    const fakes = services();
    const request = storedRequest({ status: 'approved', requiredApprovals: 0 });
    fakes.intake.submit.resolves({ kind: 'direct', request });
    fakes.messages.sendGrant.resolves(false);
    fakes.decisions.withdraw.resolves({ ...request, status: 'cancelled' });
    const { args, complete } = runOf(byAlice());
    await resetSipPasswordStep(fakes)(args);
    expect(fakes.decisions.withdraw.firstCall.args).to.deep.equal([request.id, 'no_private_route']);
    expect(complete.firstCall.args[0].outputs).to.include({
      status: 'refused',
      message: `${t.stepRefused} ${t.stepNoDirectMessage}`,
    });
  });

  it('completes a refusal from the domain in words, with no request', async () => {
    const fakes = services();
    fakes.intake.submit.rejects(new DomainError('rate_limited'));
    const { args, complete } = runOf(byAlice());
    await resetSipPasswordStep(fakes)(args);
    expect(complete.firstCall.args[0]).to.deep.equal({
      outputs: { status: 'refused', message: `${t.stepRefused} ${t.errors.rate_limited}` },
    });
  });

  it('refuses a run with no user_context, before asking the domain anything', async () => {
    const fakes = services();
    const { args, complete } = runOf(byAlice({ requester: 'UALICE' }));
    await resetSipPasswordStep(fakes)(args);
    expect(fakes.intake.assess.called).to.equal(false);
    expect(complete.firstCall.args[0].outputs.status).to.equal('refused');
  });

  it("fails the step for the app's own fault, in words that name no cause", async () => {
    const fakes = services();
    fakes.intake.submit.rejects(new Error('SQLITE_BUSY: database is locked xwfp-test'));
    const { args, complete, fail } = runOf(byAlice());
    await resetSipPasswordStep(fakes)(args);
    expect(fail.firstCall.args[0]).to.deep.equal({ error: t.stepFault });
    expect(complete.called).to.equal(false);
  });

  it('answers a second delivery of the same run with the request the first made', async () => {
    const fakes = services();
    const request = storedRequest({ requiredApprovals: 1 });
    fakes.intake.submit.rejects(new DomainError('duplicate_submission', request));
    const { args, complete } = runOf(byAlice());
    await resetSipPasswordStep(fakes)(args);
    expect(fakes.messages.post.called, 'nothing posted again').to.equal(false);
    expect(complete.firstCall.args[0].outputs).to.include({
      status: 'pending_approval',
      request_id: request.id,
    });
  });
});
