import { expect } from 'chai';
import { DomainError } from '../../../src/domain/errors.js';
import { catalogueFor } from '../../../src/i18n/index.js';
import type { AppChoice } from '../../../src/slack/listeners/actions/app-chosen.js';
import { appChosen } from '../../../src/slack/listeners/actions/app-chosen.js';
import { approveClicked } from '../../../src/slack/listeners/actions/approve.js';
import { cancelClicked } from '../../../src/slack/listeners/actions/cancel.js';
import { claimClicked } from '../../../src/slack/listeners/actions/claim.js';
import { denyClicked } from '../../../src/slack/listeners/actions/deny.js';
import { homePageClicked } from '../../../src/slack/listeners/actions/home-page.js';
import { homeResetClicked } from '../../../src/slack/listeners/actions/home-reset.js';
import { removePasswordClicked } from '../../../src/slack/listeners/actions/remove-password.js';
import type { ButtonClick } from '../../../src/slack/listeners/actions/replies.js';
import { ACTION, VIEW } from '../../../src/slack/platform/ids.js';
import { buildArguments, clickOf, fakeServices } from '../../helpers/listener-args.js';
import { storedRequest } from '../../helpers/requests.js';

const t = catalogueFor('en');
const click = (actionId: string, value: string, where: Parameters<typeof clickOf>[2] = {}) =>
  buildArguments<ButtonClick>(clickOf(actionId, value, where));

describe('listeners/actions: each button', () => {
  describe('approve', () => {
    it('acks, approves as the clicker, sends the grant when approved now, and redraws', async () => {
      const services = fakeServices();
      const request = storedRequest({ status: 'approved' });
      services.decisions.approve.resolves({ request, approvedNow: true });
      services.messages.sendGrant.resolves(true);
      const args = click(ACTION.approve, 'req-1', { user: 'UBOB' });
      await approveClicked(services)(args);
      expect(args.ack.calledOnce).to.equal(true);
      expect(services.decisions.approve.calledOnceWith('req-1', 'UBOB')).to.equal(true);
      expect(services.messages.sendGrant.calledOnceWith(request)).to.equal(true);
      expect(services.messages.refresh.calledOnceWith(request)).to.equal(true);
      expect(services.notices.tell.called, 'nothing to tell the approver').to.equal(false);
    });

    it('tells the approver their approval is recorded when more are needed', async () => {
      const services = fakeServices();
      services.decisions.approve.resolves({ request: storedRequest(), approvedNow: false });
      await approveClicked(services)(click(ACTION.approve, 'req-1', { user: 'UBOB' }));
      expect(services.notices.tell.firstCall.args).to.deep.equal([
        { userId: 'UBOB', responseUrl: undefined, channelId: undefined },
        t.decisionRecorded('1001'),
      ]);
      expect(services.messages.sendGrant.called).to.equal(false);
    });

    it('tells the approver when the grant could not reach the requester', async () => {
      const services = fakeServices();
      services.decisions.approve.resolves({ request: storedRequest(), approvedNow: true });
      services.messages.sendGrant.resolves(false);
      await approveClicked(services)(click(ACTION.approve, 'req-1', { user: 'UBOB' }));
      expect(services.notices.tell.firstCall.args[1]).to.equal(t.grantUndelivered('<@UALICE>'));
    });

    it('answers a refusal privately, and brings a stale message up to date', async () => {
      const services = fakeServices();
      const decided = storedRequest({ status: 'denied' });
      services.decisions.approve.rejects(new DomainError('already_decided', decided));
      const args = click(ACTION.approve, 'req-1', { user: 'UBOB', responseUrl: 'https://hooks.example/1' });
      await approveClicked(services)(args);
      expect(services.notices.tell.firstCall.args).to.deep.equal([
        { userId: 'UBOB', responseUrl: 'https://hooks.example/1', channelId: undefined },
        t.errors.already_decided,
      ]);
      expect(services.messages.refresh.calledOnceWith(decided)).to.equal(true);
      expect(services.messages.sendGrant.called).to.equal(false);
    });

    it('rethrows what is not a refusal, for the app error handler', async () => {
      const services = fakeServices();
      services.decisions.approve.rejects(new Error('database gone'));
      const args = click(ACTION.approve, 'req-1');
      const thrown = await approveClicked(services)(args).catch((error: Error) => error);
      expect(thrown).to.have.property('message', 'database gone');
      expect(services.notices.tell.called).to.equal(false);
      expect(args.ack.calledOnce).to.equal(true);
    });
  });

  describe('deny', () => {
    it('acks, checks the clicker may decide, and opens the reason modal', async () => {
      const services = fakeServices();
      services.decisions.assertCanDecide.resolves(storedRequest());
      const args = click(ACTION.deny, 'req-1', { user: 'UBOB' });
      await denyClicked(services)(args);
      expect(args.ack.calledOnce).to.equal(true);
      expect(services.decisions.assertCanDecide.calledOnceWith('req-1', 'UBOB')).to.equal(true);
      const opened = args.client.views.open.firstCall.args[0];
      expect(opened.trigger_id).to.equal('trigger-1');
      expect(opened.view).to.include({ callback_id: VIEW.denyReason, private_metadata: 'req-1' });
    });

    it('opens nothing for who may not decide, and says why', async () => {
      const services = fakeServices();
      services.decisions.assertCanDecide.rejects(new DomainError('not_approver'));
      const args = click(ACTION.deny, 'req-1', { user: 'UEVE' });
      await denyClicked(services)(args);
      expect(args.client.views.open.called).to.equal(false);
      expect(services.notices.tell.firstCall.args[1]).to.equal(t.errors.not_approver);
    });
  });

  describe('cancel', () => {
    it('cancels as the clicker, replaces the pending note, and redraws', async () => {
      const services = fakeServices();
      const cancelled = storedRequest({ status: 'cancelled' });
      services.decisions.cancel.resolves(cancelled);
      const args = click(ACTION.cancel, 'req-1', { responseUrl: 'https://hooks.example/2' });
      await cancelClicked(services)(args);
      expect(args.ack.calledOnce).to.equal(true);
      expect(services.decisions.cancel.calledOnceWith('req-1', 'UALICE')).to.equal(true);
      expect(args.respond.firstCall.args[0]).to.deep.equal({
        response_type: 'ephemeral',
        replace_original: true,
        text: t.cancelled('1001', 'Head office'),
      });
      expect(services.messages.refresh.calledOnceWith(cancelled)).to.equal(true);
    });

    it('on the Home tab (no response_url) only redraws: the tab shows the cancellation', async () => {
      const services = fakeServices();
      services.decisions.cancel.resolves(storedRequest({ status: 'cancelled' }));
      const args = click(ACTION.cancel, 'req-1');
      await cancelClicked(services)(args);
      expect(args.respond.called).to.equal(false);
      expect(services.messages.refresh.calledOnce).to.equal(true);
    });

    it('tells the person another way when the note cannot be replaced', async () => {
      const services = fakeServices();
      services.decisions.cancel.resolves(storedRequest({ status: 'cancelled' }));
      const args = click(ACTION.cancel, 'req-1', { responseUrl: 'https://hooks.example/3', channel: 'CGEN' });
      args.respond.rejects(new Error('expired_url'));
      await cancelClicked(services)(args);
      expect(services.notices.tell.firstCall.args).to.deep.equal([
        { userId: 'UALICE', responseUrl: undefined, channelId: 'CGEN' },
        t.cancelled('1001', 'Head office'),
      ]);
      expect(services.messages.refresh.calledOnce).to.equal(true);
    });
  });

  describe('claim', () => {
    it('says a request that no longer exists is gone, and resets nothing', async () => {
      const services = fakeServices();
      services.queries.get.resolves(undefined);
      const args = click(ACTION.claim, 'req-9');
      await claimClicked(services)(args);
      expect(args.ack.calledOnce).to.equal(true);
      expect(services.notices.tell.firstCall.args[1]).to.equal(t.errors.not_found);
      expect(services.resets.assertResettable.called).to.equal(false);
    });

    it('runs the reset for the clicker, keeping the request when they cannot be reached', async () => {
      const services = fakeServices();
      const request = storedRequest({ status: 'approved' });
      services.queries.get.resolves(request);
      services.resets.assertResettable.rejects(new DomainError('not_found'));
      await claimClicked(services)(click(ACTION.claim, 'req-1'));
      expect(services.queries.get.calledOnceWith('req-1')).to.equal(true);
      expect(services.resets.assertResettable.calledOnceWith(request, 'UALICE')).to.equal(true);
      expect(services.notices.tell.firstCall.args[1]).to.equal(t.errors.not_found);
    });
  });

  describe('the Home tab', () => {
    it('"Show older" republishes the Home at the page its button names', async () => {
      const services = fakeServices();
      const args = click(ACTION.homeOlder, 'not a page');
      await homePageClicked(services)(args);
      expect(args.ack.calledOnce).to.equal(true);
      const [user, , options] = services.home.publish.firstCall.args;
      expect(user).to.equal('UALICE');
      expect(options).to.deep.equal({ unreadable: true });
    });

    it('"Reset a SIP password" opens the form, then warms the user groups', async () => {
      const services = fakeServices();
      services.intake.outlook.resolves('approval');
      const args = click(ACTION.homeReset, '');
      await homeResetClicked(services)(args);
      expect(args.ack.calledOnce).to.equal(true);
      expect(args.client.views.open.firstCall.args[0]).to.include({ trigger_id: 'trigger-1' });
      expect(services.directory.warm.calledOnce).to.equal(true);
      expect(services.notices.tell.called).to.equal(false);
    });

    it('"Reset a SIP password" says something went wrong when the form cannot open', async () => {
      const services = fakeServices();
      const args = click(ACTION.homeReset, '');
      args.client.views.open.rejects(new Error('expired_trigger_id'));
      await homeResetClicked(services)(args);
      expect(services.notices.tell.firstCall.args).to.deep.equal(['UALICE', t.unexpectedError]);
      expect(services.directory.warm.called).to.equal(false);
    });
  });

  it("the password message's own button deletes that message", async () => {
    const args = click(ACTION.removePassword, '');
    await removePasswordClicked(args);
    expect(args.ack.calledOnce).to.equal(true);
    expect(args.respond.firstCall.args[0]).to.deep.equal({ delete_original: true });
  });

  describe('a voice application chosen in the form', () => {
    const choice = (overrides: { hash?: string } = {}) =>
      buildArguments<AppChoice>({
        body: {
          type: 'block_actions',
          user: { id: 'UALICE' },
          view: {
            id: 'V1',
            hash: overrides.hash ?? 'h1',
            private_metadata: JSON.stringify({ responseUrl: 'https://hooks.example/4' }),
            state: { values: {} },
          },
        },
        action: { type: 'static_select', action_id: ACTION.appChosen, selected_option: { value: 'app1' } },
      });

    it('rebuilds the form in place, guarded by its hash', async () => {
      const services = fakeServices();
      const args = choice();
      await appChosen(services)(args);
      expect(args.ack.calledOnce).to.equal(true);
      const update = args.client.views.update.firstCall.args[0];
      expect(update).to.include({ view_id: 'V1', hash: 'h1' });
      expect(JSON.parse(update.view.private_metadata)).to.deep.equal({
        responseUrl: 'https://hooks.example/4',
      });
    });

    it('leaves a form changed since (hash_conflict) to the later choice, quietly', async () => {
      const services = fakeServices();
      const args = choice();
      args.client.views.update.rejects(Object.assign(new Error('x'), { data: { error: 'hash_conflict' } }));
      await appChosen(services)(args);
      expect(services.logger.warn.called).to.equal(false);
    });
  });
});
