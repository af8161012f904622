import { expect } from 'chai';
import sinon from 'sinon';
import { catalogueFor } from '../../src/i18n/index.js';
import type { SlackServices } from '../../src/slack/services.js';
import { resetAndDeliver } from '../../src/slack/flows/reset-flow.js';
import { storedRequest } from '../helpers/requests.js';

describe('a direct reset the database fails before it starts', () => {
  it('is withdrawn by the app, not its requester, and every view of it redrawn', async () => {
    const request = storedRequest({ id: 'direct', status: 'approved', requiredApprovals: 0 });
    const withdrawn = { ...request, status: 'cancelled' as const, failureCode: 'database_failed' };
    const failure = new Error('SQLITE_BUSY');
    const resets = {
      assertResettable: sinon.fake.resolves(undefined),
      reset: sinon.fake.rejects(failure),
    };
    const decisions = {
      withdraw: sinon.fake.resolves(withdrawn),
      cancel: sinon.fake.rejects(new Error('not the requester’s doing')),
    };
    const refresh = sinon.fake.resolves(undefined);
    const services = {
      resets,
      decisions,
      messages: { refresh, locate: sinon.fake.resolves({}) },
      delivery: { send: sinon.fake.resolves('response_url') },
      notices: { tell: sinon.fake.resolves(true) },
      textsFor: () => Promise.resolve(catalogueFor('en')),
      subject: () => ['*1001*', 'Head office'],
    } as unknown as SlackServices;

    let thrown: unknown;
    await resetAndDeliver(services, {
      request,
      userId: request.requesterId,
      target: { userId: request.requesterId, responseUrl: 'https://hooks.slack.test/x' },
      onUnreachable: 'cancel',
    }).catch((error: unknown) => {
      thrown = error;
    });
    expect(thrown, 'the failure still reaches the error handler').to.equal(failure);
    expect(decisions.withdraw.calledOnceWith('direct', 'database_failed')).to.equal(true);
    expect(decisions.cancel.called).to.equal(false);
    expect(refresh.calledOnceWith(withdrawn)).to.equal(true);
  });
});

describe('a reset whose delivery throws what no route failure is', () => {
  it('settles only once the outcome is written, so that a stop waits for that write', async () => {
    const request = storedRequest({ id: 'direct', status: 'resetting', requiredApprovals: 0 });
    let written!: (value: typeof request) => void;
    const recorded = new Promise<typeof request>((resolve) => (written = resolve));
    const bug = new TypeError('a bug in the delivery');
    const services = {
      resets: {
        assertResettable: sinon.fake.resolves(undefined),
        reset: sinon.fake.resolves({ request, password: 'Pw-1', ownersToNotify: [], recorded }),
        audit: sinon.fake.resolves(undefined),
      },
      messages: { refresh: sinon.fake.resolves(undefined), locate: sinon.fake.resolves({}) },
      delivery: { send: sinon.fake.resolves('response_url'), sendNoted: sinon.fake.rejects(bug) },
      notices: { tell: sinon.fake.resolves(true) },
      logger: { info: sinon.fake(), error: sinon.fake() },
      textsFor: () => Promise.resolve(catalogueFor('en')),
      appLabel: () => 'Head office',
      subject: () => ['*1001*', 'Head office'],
    } as unknown as SlackServices;

    let settled: unknown = 'not yet';
    const flow = resetAndDeliver(services, {
      request,
      userId: request.requesterId,
      target: { userId: request.requesterId, responseUrl: 'https://hooks.slack.test/x' },
      onUnreachable: 'cancel',
    }).then(
      () => (settled = 'resolved'),
      (error: unknown) => (settled = error),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled, 'not before the outcome is written').to.equal('not yet');
    written({ ...request, status: 'completed' });
    await flow;
    expect(settled, 'the bug still reaches the error handler').to.equal(bug);
  });
});
