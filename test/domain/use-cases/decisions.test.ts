import { expect } from 'chai';
import { domainCode, domainWorld, input, type DomainWorld } from '../../helpers/use-cases.js';

describe('decisions (store in memory)', () => {
  let world: DomainWorld;
  beforeEach(() => {
    world = domainWorld();
  });

  it('never lets approvers approve their own request', async () => {
    const submitted = await world.intake.submit('UAPP1', input());
    expect(await domainCode(world.decisions.approve(submitted.request.id, 'UAPP1'))).to.equal('own_request');
    expect(await domainCode(world.decisions.deny(submitted.request.id, 'UAPP1', ''))).to.equal('own_request');
  });

  it('needs two distinct approvers for a protected account, even for helpdesk', async () => {
    const submitted = await world.intake.submit('UHELP', input('9001'));
    expect(submitted.kind).to.equal('pending');
    const id = submitted.request.id;
    expect((await world.decisions.approve(id, 'UAPP1')).approvedNow).to.equal(false);
    expect(await domainCode(world.decisions.approve(id, 'UAPP1'))).to.equal('already_approved_by_you');
    expect((await world.decisions.approve(id, 'UAPP2')).approvedNow).to.equal(true);
  });

  it('denies with a reason, and then nothing else moves it', async () => {
    const { request } = await world.intake.submit('UANY', input());
    const denied = await world.decisions.deny(request.id, 'UAPP1', '  not your phone ');
    expect(denied).to.include({ status: 'denied', decidedBy: 'UAPP1', denyReason: 'not your phone' });
    expect(await domainCode(world.decisions.approve(request.id, 'UAPP2'))).to.equal('already_decided');
    expect(await domainCode(world.decisions.cancel(request.id, 'UANY'))).to.equal('already_decided');
  });

  it('lets only the requester cancel', async () => {
    const { request } = await world.intake.submit('UANY', input());
    expect(await domainCode(world.decisions.cancel(request.id, 'UOTHER'))).to.equal('not_requester');
    expect((await world.decisions.cancel(request.id, 'UANY')).status).to.equal('cancelled');
  });

  it('withdraws as the app, with its reason, an open request, and nothing once it moved on', async () => {
    const { request } = await world.intake.submit('UANY', input());
    const withdrawn = await world.decisions.withdraw(request.id, 'approval_channel_refused');
    expect(withdrawn).to.include({ status: 'cancelled', failureCode: 'approval_channel_refused' });
    expect(await domainCode(world.decisions.withdraw(request.id, 'database_failed'))).to.equal(
      'already_decided',
    );
  });

  it('refuses a decision on a request past its expiry, leaving its expiry to the upkeep', async () => {
    const { request } = await world.intake.submit('UANY', input());
    world.clock.now += 61 * 60_000;
    expect(await domainCode(world.decisions.assertCanDecide(request.id, 'UAPP1'))).to.equal(
      'request_expired',
    );
    expect(await domainCode(world.decisions.approve(request.id, 'UAPP1'))).to.equal('request_expired');
    expect(await domainCode(world.decisions.deny(request.id, 'UAPP1', ''))).to.equal('request_expired');
    expect((await world.store.getRequest(request.id))?.status).to.equal('pending');
    expect(await domainCode(world.decisions.approve('nope', 'UAPP1'))).to.equal('not_found');
  });

  it('records when the approvers were told of a request, without a change of state', async () => {
    const { request } = await world.intake.submit('UANY', input());
    expect(request.announcedAt).to.equal(null);
    world.clock.now += 1_000;
    const announced = await world.decisions.announced(request.id);
    expect(announced).to.include({ status: 'pending', announcedAt: world.clock.now });
    expect(await world.decisions.announced('nope')).to.equal(undefined);
  });
});
