import { expect } from 'chai';
import type { DomainError } from '../../../src/domain/errors.js';
import { rejection } from '../../helpers/rejection.js';
import { domainCode, domainWorld, input, type DomainWorld } from '../../helpers/use-cases.js';

describe('intake (store in memory, fake vendor)', () => {
  let world: DomainWorld;
  beforeEach(() => {
    world = domainWorld();
  });

  it('reports field problems: account, unknown app, missing reason', async () => {
    const { problems } = await world.intake.assess('UANY', { account: '1 2', appId: 'x', reason: ' ' });
    expect(problems).to.deep.equal({ account: 'bad_characters', appId: 'unknown', reason: 'required' });
    const helpdesk = await world.intake.assess('UHELP', { account: '1001', appId: 'app1', reason: '' });
    expect(helpdesk.problems).to.deep.equal({});
  });

  it('points a second request for the same account to the open one, for the helpdesk only', async () => {
    const first = await world.intake.submit('UANY', input());
    const error = await rejection(world.intake.submit('UOTHER', input()));
    expect((error as DomainError).code).to.equal('open_request_exists');
    expect((error as DomainError).request, 'who asked is not for anyone').to.equal(undefined);
    const helpdesk = await rejection(world.intake.submit('UHELP', input()));
    expect((helpdesk as DomainError).request?.id).to.equal(first.request.id);
  });

  it('acts once on a submission replayed, naming the request it made', async () => {
    const first = await world.intake.submit('UANY', { ...input(), submissionId: 'V1' });
    const replay = await rejection(world.intake.submit('UANY', { ...input('1002'), submissionId: 'V1' }));
    expect((replay as DomainError).code).to.equal('duplicate_submission');
    expect((replay as DomainError).request?.id).to.equal(first.request.id);
  });

  it('limits requests per requester per hour, but not helpdesk', async () => {
    for (const account of ['1001', '1002', '1003']) {
      const { request } = await world.intake.submit('UANY', input(account));
      await world.decisions.cancel(request.id, 'UANY');
    }
    expect(await domainCode(world.intake.submit('UANY', input('1001')))).to.equal('rate_limited');
    world.clock.now += 61 * 60_000;
    expect((await world.intake.submit('UANY', input('1001'))).kind).to.equal('pending');
    for (const account of ['1002', '1003', '1004', '1005']) {
      expect((await world.intake.submit('UHELP', input(account))).kind).to.equal('direct');
    }
  });

  it('refuses requests that need approval when there is no approval channel', async () => {
    const noChannel = domainWorld({ approvalsPossible: false });
    expect(await domainCode(noChannel.intake.submit('UANY', input()))).to.equal(
      'refused_no_approval_channel',
    );
    expect((await noChannel.intake.submit('UHELP', input())).kind, 'a direct reset needs none').to.equal(
      'direct',
    );
  });

  it("gives a direct request that waits for its requester's click an approval's time, not two minutes", async () => {
    const now = await world.intake.submit('UHELP', input('1001'));
    expect(now.request.grantExpiresAt).to.equal(world.clock.now + 2 * 60_000);
    const waiting = await world.intake.submit('UOWNER', { ...input('1002'), waitsForRequester: true });
    expect(waiting.kind).to.equal('direct');
    expect(waiting.request.status).to.equal('approved');
    expect(waiting.request.grantExpiresAt).to.equal(world.clock.now + 480 * 60_000);
  });
});
