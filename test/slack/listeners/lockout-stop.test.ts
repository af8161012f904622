import { expect } from 'chai';
import { DomainError } from '../../../src/domain/errors.js';
import { catalogueFor } from '../../../src/i18n/index.js';
import { lockoutStopClicked } from '../../../src/slack/listeners/actions/lockout-stop.js';
import type { ButtonClick } from '../../../src/slack/listeners/actions/replies.js';
import { ACTION } from '../../../src/slack/platform/ids.js';
import { buildArguments, clickOf, fakeServices } from '../../helpers/listener-args.js';

const t = catalogueFor('en');
const click = (user: string) =>
  buildArguments<ButtonClick>(clickOf(ACTION.lockoutStop, 'lockout-1', { user }));

describe("listeners/actions: a lock-out's Stop", () => {
  it('acks, then stops the lock-out as the clicker, telling them nothing more', async () => {
    const services = fakeServices();
    const args = click('UHANA');
    await lockoutStopClicked(services)(args);
    expect(args.ack.calledOnce).to.equal(true);
    expect(services.lockoutRuns.stop.calledOnceWith('lockout-1', 'UHANA')).to.equal(true);
    expect(args.ack.calledBefore(services.lockoutRuns.stop)).to.equal(true);
    expect(services.notices.tell.called).to.equal(false);
  });

  it('refuses someone who is not a helpdesk agent in words, privately', async () => {
    const services = fakeServices();
    services.lockoutRuns.stop.rejects(new DomainError('not_helpdesk'));
    await lockoutStopClicked(services)(click('UEVE'));
    expect(services.notices.tell.calledOnce).to.equal(true);
    const [to, text] = services.notices.tell.firstCall.args as [{ userId: string }, string];
    expect(to.userId).to.equal('UEVE');
    expect(text).to.equal(t.errors.not_helpdesk);
  });

  it('says a lock-out that has already ended cannot be stopped', async () => {
    const services = fakeServices();
    services.lockoutRuns.stop.rejects(new DomainError('lockout_not_running'));
    await lockoutStopClicked(services)(click('UHANA'));
    expect(services.notices.tell.firstCall.args[1]).to.equal(t.errors.lockout_not_running);
  });
});
