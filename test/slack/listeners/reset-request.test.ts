import { expect } from 'chai';
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { DomainError } from '../../../src/domain/errors.js';
import { catalogueFor } from '../../../src/i18n/index.js';
import { resetRequestSubmitted } from '../../../src/slack/listeners/views/reset-request.js';
import type { SlackServices } from '../../../src/slack/services.js';
import { BLOCK, INPUT_ACTION, VIEW } from '../../../src/slack/platform/ids.js';
import { buildArguments, fakeServices } from '../../helpers/listener-args.js';
import { storedRequest } from '../../helpers/requests.js';

const t = catalogueFor('en');
const text = (value: string) => ({ type: 'plain_text_input', value });

/** The reset form submitted by Alice, from a command typed in #general. */
const submitted = (account: string, reason: string) => {
  const view = {
    id: 'V9',
    callback_id: VIEW.resetRequest,
    private_metadata: JSON.stringify({ responseUrl: 'https://hooks.example/cmd', channelId: 'CGEN' }),
    state: {
      values: {
        [BLOCK.account]: { [INPUT_ACTION]: text(account) },
        [BLOCK.reason]: { [INPUT_ACTION]: text(reason) },
      },
    },
  };
  // Bolt hands the view both on its own and in the body, as Slack sent it.
  return buildArguments<AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>>({
    body: { type: 'view_submission', user: { id: 'UALICE' }, view },
    view,
  });
};

const alice = { userId: 'UALICE', responseUrl: 'https://hooks.example/cmd', channelId: 'CGEN' };

function services() {
  const config = {
    itnio: { apps: [{ appId: 'app1', label: 'Head office' }] },
    approvalChannel: 'CAPPROVE',
  } as unknown as SlackServices['config'];
  const fakes = fakeServices({ config });
  fakes.intake.assess.resolves({ problems: {} });
  return fakes;
}

describe('listeners/views: the reset form submitted', () => {
  it('keeps the form open with its field errors, and submits nothing', async () => {
    const fakes = services();
    fakes.intake.assess.resolves({ problems: { reason: 'required' } });
    const args = submitted('1001', '');
    await resetRequestSubmitted(fakes)(args);
    expect(fakes.intake.assess.firstCall.args).to.deep.equal([
      'UALICE',
      { account: '1001', appId: 'app1', reason: '', submissionId: 'V9' },
    ]);
    expect(args.ack.firstCall.args[0]).to.deep.equal({
      response_action: 'errors',
      errors: { [BLOCK.reason]: t.reasonRequired },
    });
    expect(fakes.intake.submit.called).to.equal(false);
  });

  it('closes the form, posts the request for approval, and tells the requester privately', async () => {
    const fakes = services();
    const request = storedRequest();
    fakes.intake.submit.resolves({ kind: 'pending', request });
    fakes.messages.post.callsFake(async (posted: unknown) => posted);
    const args = submitted('1001', 'lost it');
    await resetRequestSubmitted(fakes)(args);
    expect(args.ack.calledOnceWithExactly()).to.equal(true);
    expect(fakes.messages.post.calledOnceWith(request)).to.equal(true);
    const [to, pending] = fakes.notices.tell.firstCall.args;
    expect(to).to.deep.equal(alice);
    expect(JSON.stringify(pending)).to.include('1001');
  });

  it('withdraws a request the approval channel refuses, and says how to fix it', async () => {
    const fakes = services();
    const request = storedRequest();
    const withdrawn = storedRequest({ status: 'cancelled' });
    fakes.intake.submit.resolves({ kind: 'pending', request });
    fakes.messages.post.rejects(
      Object.assign(new Error('x'), {
        code: 'slack_webapi_platform_error',
        data: { error: 'not_in_channel' },
      }),
    );
    fakes.decisions.withdraw.resolves(withdrawn);
    await resetRequestSubmitted(fakes)(submitted('1001', 'lost it'));
    expect(fakes.decisions.withdraw.calledOnceWith(request.id, 'approval_channel_refused')).to.equal(true);
    expect(fakes.notices.tell.firstCall.args).to.deep.equal([
      alice,
      t.approvalChannelUnusable('<#CAPPROVE>'),
    ]);
    expect(fakes.messages.refresh.calledOnceWith(withdrawn)).to.equal(true);
  });

  it('answers a refusal privately, after closing the form', async () => {
    const fakes = services();
    fakes.intake.submit.rejects(new DomainError('rate_limited'));
    const args = submitted('1001', 'lost it');
    await resetRequestSubmitted(fakes)(args);
    expect(args.ack.calledOnceWithExactly()).to.equal(true);
    expect(fakes.notices.tell.firstCall.args).to.deep.equal([alice, t.errors.rate_limited]);
  });

  it('ignores a repeated submission, telling no one', async () => {
    const fakes = services();
    fakes.intake.submit.rejects(new DomainError('duplicate_submission', storedRequest()));
    await resetRequestSubmitted(fakes)(submitted('1001', 'lost it'));
    expect(fakes.notices.tell.called).to.equal(false);
    expect(fakes.logger.warn.calledOnce).to.equal(true);
  });
});
