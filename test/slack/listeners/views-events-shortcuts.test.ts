import { expect } from 'chai';
import type {
  AllMiddlewareArgs,
  GlobalShortcut,
  SlackEventMiddlewareArgs,
  SlackShortcutMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import { DomainError } from '../../../src/domain/errors.js';
import { catalogueFor } from '../../../src/i18n/index.js';
import { homeOpened } from '../../../src/slack/listeners/events/app-home-opened.js';
import { resetShortcut } from '../../../src/slack/listeners/shortcuts/reset-shortcut.js';
import { denyReasonSubmitted } from '../../../src/slack/listeners/views/deny-reason.js';
import { BLOCK, INPUT_ACTION, VIEW } from '../../../src/slack/platform/ids.js';
import { buildArguments, fakeServices } from '../../helpers/listener-args.js';
import { storedRequest } from '../../helpers/requests.js';

const t = catalogueFor('en');

describe('listeners/events: app_home_opened', () => {
  const opened = (tab: string) =>
    buildArguments<AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_home_opened'>>({
      event: { type: 'app_home_opened', user: 'UALICE', tab },
    });

  it('publishes the Home tab of who opened it', async () => {
    const services = fakeServices();
    await homeOpened(services)(opened('home'));
    expect(services.home.opened.calledOnceWith('UALICE')).to.equal(true);
  });

  it('publishes nothing for the Messages tab', async () => {
    const services = fakeServices();
    await homeOpened(services)(opened('messages'));
    expect(services.home.opened.called).to.equal(false);
  });
});

describe('listeners/shortcuts: the global shortcut', () => {
  const shortcut = () =>
    buildArguments<AllMiddlewareArgs & SlackShortcutMiddlewareArgs<GlobalShortcut>>({
      shortcut: {
        type: 'shortcut',
        callback_id: 'sip_reset_shortcut',
        trigger_id: 'trigger-2',
        user: { id: 'UALICE' },
      },
    });

  it('acks and opens the reset form with no way back but the DM, then warms the user groups', async () => {
    const services = fakeServices();
    services.intake.outlook.resolves('approval');
    const args = shortcut();
    await resetShortcut(services)(args);
    expect(args.ack.calledOnce).to.equal(true);
    const open = args.client.views.open.firstCall.args[0];
    expect(open).to.include({ trigger_id: 'trigger-2' });
    expect(open.view).to.include({ callback_id: VIEW.resetRequest, private_metadata: '{}' });
    expect(services.directory.warm.calledOnce).to.equal(true);
  });

  it('tells the person when the form cannot open', async () => {
    const services = fakeServices();
    const args = shortcut();
    args.client.views.open.rejects(new Error('expired_trigger_id'));
    await resetShortcut(services)(args);
    expect(services.notices.tell.firstCall.args).to.deep.equal(['UALICE', t.unexpectedError]);
  });
});

describe('listeners/views: the Deny modal submitted', () => {
  const submitted = (reason: string) =>
    buildArguments<AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>>({
      body: { type: 'view_submission', user: { id: 'UBOB' } },
      view: {
        callback_id: VIEW.denyReason,
        private_metadata: 'req-1',
        state: {
          values: { [BLOCK.denyReason]: { [INPUT_ACTION]: { type: 'plain_text_input', value: reason } } },
        },
      },
    });

  it('stores the denial before closing the modal, redraws, and tells the requester with the reason', async () => {
    const services = fakeServices();
    const denied = storedRequest({ status: 'denied', denyReason: 'Ask <!here> first' });
    services.decisions.deny.callsFake(async () => {
      expect(args.ack.called, 'stored before the modal closes').to.equal(false);
      return denied;
    });
    const args = submitted('Ask <!here> first');
    await denyReasonSubmitted(services)(args);
    expect(services.decisions.deny.calledOnceWith('req-1', 'UBOB', 'Ask <!here> first')).to.equal(true);
    expect(args.ack.calledOnceWithExactly()).to.equal(true);
    expect(services.messages.refresh.calledOnceWith(denied)).to.equal(true);
    const [to, text] = services.notices.tell.firstCall.args;
    expect(to).to.equal('UALICE');
    expect(text).to.include(t.deniedNotice('1001', 'Head office', '<@UBOB>'));
    expect(text).to.include('Ask &lt;!here&gt; first');
  });

  it('keeps the modal open and says why when the denial is refused', async () => {
    const services = fakeServices();
    services.decisions.deny.rejects(new DomainError('already_decided'));
    const args = submitted('');
    await denyReasonSubmitted(services)(args);
    expect(args.ack.firstCall.args[0]).to.deep.equal({
      response_action: 'errors',
      errors: { [BLOCK.denyReason]: t.errors.already_decided },
    });
    expect(services.messages.refresh.called).to.equal(false);
    expect(services.notices.tell.called).to.equal(false);
  });

  it('logs what is not a refusal and says something went wrong, in the modal', async () => {
    const services = fakeServices();
    services.decisions.deny.rejects(new Error('database gone'));
    const args = submitted('');
    await denyReasonSubmitted(services)(args);
    expect(args.ack.firstCall.args[0].errors[BLOCK.denyReason]).to.equal(t.unexpectedError);
    expect(services.logger.error.calledOnce).to.equal(true);
  });
});
