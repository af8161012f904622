import { expect } from 'chai';
import type { LockoutCampaign, LockoutItem } from '../../src/domain/lockout.js';
import { forEachDatabase } from '../helpers/for-each-database.js';
import { lockoutCampaign, lockoutItem } from '../helpers/lockout-world.js';
import { T0 } from '../helpers/requests.js';

const LEASE_MS = 60_000;

function draft(id: string, count: number): { campaign: LockoutCampaign; items: LockoutItem[] } {
  return {
    campaign: lockoutCampaign({ id, count }),
    items: Array.from({ length: count }, (_, seq) =>
      lockoutItem(seq, { campaignId: id, ownerId: seq === 0 ? 'UOWNER' : null }),
    ),
  };
}

const started = { type: 'lockout_started' as const, actor: 'UHELP', detail: { campaignId: 'c1' } };

forEachDatabase('lock-out store', (under) => {
  async function running(count = 3) {
    const { campaign, items } = draft('c1', count);
    await under.store.createCampaign(campaign, items);
    return under.store.startCampaign('c1', 'UHELP', T0, { owner: 'a', until: T0 + LEASE_MS }, started);
  }

  it('keeps a draft and its phones, in order, and reads them back as written', async () => {
    const { campaign, items } = draft('c1', 3);
    await under.store.createCampaign(campaign, items);
    expect(await under.store.getCampaign('c1')).to.deep.equal(campaign);
    expect(await under.store.listItems('c1')).to.deep.equal(items);
  });

  it('starts a draft once, by its agent, before it expires; audits the start with no request', async () => {
    const { campaign, items } = draft('c1', 1);
    await under.store.createCampaign(campaign, items);
    const lease = { owner: 'a', until: T0 + LEASE_MS };
    expect(await under.store.startCampaign('c1', 'UEVE', T0, lease, started)).to.equal(undefined);
    expect(await under.store.startCampaign('c1', 'UHELP', T0 + 900_000, lease, started)).to.equal(undefined);
    const first = await under.store.startCampaign('c1', 'UHELP', T0, lease, started);
    expect(first).to.include({ state: 'running', leaseOwner: 'a', leaseExpiresAt: T0 + LEASE_MS });
    expect(await under.store.startCampaign('c1', 'UHELP', T0, lease, started)).to.equal(undefined);
    const head = await under.store.auditHead();
    expect(head.seq).to.equal(1);
  });

  it('claims each phone once (queued -> resetting), across two instances', async () => {
    await running();
    const other = await under.another();
    const claims = await Promise.all([
      under.store.moveItem('c1', 0, ['queued'], 'resetting', T0),
      other.moveItem('c1', 0, ['queued'], 'resetting', T0),
    ]);
    expect(claims.filter(Boolean)).to.have.length(1);
    expect((await under.store.nextQueued('c1'))?.seq).to.equal(1);
    const audit = { type: 'locked_out' as const, actor: 'UHELP', detail: { campaignId: 'c1' } };
    const settled = await under.store.moveItem(
      'c1',
      0,
      ['resetting'],
      'locked_out',
      T0,
      { finishedAt: T0 },
      audit,
    );
    expect(settled).to.include({ state: 'locked_out', finishedAt: T0 });
    const [row] = await under.store.auditOf('1000', 1);
    expect(row).to.include({ type: 'locked_out', requestId: null, account: '1000', appId: 'app1' });
  });

  it('gives the lease to one instance at a time, and to another once it expires or is given back', async () => {
    await running();
    expect(await under.store.takeLease('c1', T0 + 1, { owner: 'b', until: T0 + 2 * LEASE_MS })).to.equal(
      false,
    );
    expect(await under.store.listUnattended(T0 + 1)).to.deep.equal([]);
    expect(await under.store.takeLease('c1', T0 + 1, { owner: 'a', until: T0 + 2 * LEASE_MS })).to.equal(
      true,
    );
    expect((await under.store.listUnattended(T0 + 2 * LEASE_MS)).map((c) => c.id)).to.deep.equal(['c1']);
    await under.store.releaseLease('c1', 'a', T0 + 5);
    expect(await under.store.takeLease('c1', T0 + 5, { owner: 'b', until: T0 + LEASE_MS })).to.equal(true);
  });

  it('stops a running campaign once, its queued phones not started; ends it once with its tally', async () => {
    await running(3);
    await under.store.moveItem('c1', 0, ['queued'], 'resetting', T0);
    const stop = { type: 'lockout_stopped' as const, actor: 'UHELP', detail: { campaignId: 'c1' } };
    expect(await under.store.stopCampaign('c1', 'UHELP', T0 + 1, stop)).to.include({
      state: 'stopped',
      stoppedBy: 'UHELP',
    });
    expect(await under.store.stopCampaign('c1', 'UHELP', T0 + 1, stop)).to.equal(undefined);
    expect((await under.store.listItems('c1')).map((i) => i.state)).to.deep.equal([
      'resetting',
      'not_started',
      'not_started',
    ]);
    expect(await under.store.endCampaign('c1', T0 + 2), 'a phone is in flight').to.equal(undefined);
    await under.store.moveItem('c1', 0, ['resetting'], 'locked_out', T0 + 2);
    const ended = await Promise.all([
      under.store.endCampaign('c1', T0 + 3),
      under.store.endCampaign('c1', T0 + 3),
    ]);
    expect(ended.filter(Boolean)).to.have.length(1);
    expect(await under.store.getCampaign('c1')).to.include({ state: 'stopped', endedAt: T0 + 3 });
    expect(await under.store.listUnattended(T0 + 10 * LEASE_MS)).to.deep.equal([]);
  });

  it('finishes a running campaign once nothing is queued or in flight', async () => {
    await running(1);
    expect(await under.store.endCampaign('c1', T0)).to.equal(undefined);
    await under.store.moveItem('c1', 0, ['queued'], 'resetting', T0);
    await under.store.moveItem('c1', 0, ['resetting'], 'failed', T0, { failureCode: 'account_not_found' });
    expect(await under.store.endCampaign('c1', T0 + 1)).to.include({ state: 'finished', endedAt: T0 + 1 });
  });

  it('expires drafts past their time', async () => {
    const { campaign, items } = draft('c1', 1);
    await under.store.createCampaign(campaign, items);
    expect(await under.store.expireDrafts(T0)).to.equal(0);
    expect(await under.store.expireDrafts(T0 + 900_000)).to.equal(1);
    expect((await under.store.getCampaign('c1'))?.state).to.equal('expired');
  });

  it("keeps where a lock-out's progress message is, on the Slack side", async () => {
    await running(1);
    const slack = under.store.slackStore();
    expect(await slack.lockoutMessageOf('c1')).to.equal(undefined);
    await slack.saveLockoutMessage('c1', { kind: 'thread', channel: 'C1', ts: '1.2' });
    expect(await slack.lockoutMessageOf('c1')).to.deep.equal({ kind: 'thread', channel: 'C1', ts: '1.2' });
  });

  it("lists the progress messages whose summary is not settled, until it is, the message's place kept", async () => {
    await running(1);
    const { campaign, items } = draft('c2', 1);
    await under.store.createCampaign(campaign, items);
    const slack = under.store.slackStore();
    await slack.saveLockoutMessage('c1', { kind: 'thread', channel: 'C1', ts: '1.2' });
    await slack.saveLockoutMessage('c2', { kind: 'dm', channel: 'D1', ts: '3.4' });
    expect(await slack.unsettledLockoutSummaries()).to.deep.equal([
      { campaignId: 'c1', ref: { kind: 'thread', channel: 'C1', ts: '1.2' } },
      { campaignId: 'c2', ref: { kind: 'dm', channel: 'D1', ts: '3.4' } },
    ]);
    await slack.settleLockoutSummary('c1', T0);
    await slack.settleLockoutSummary('c1', T0 + 1);
    await slack.settleLockoutSummary('unknown', T0);
    expect(await slack.unsettledLockoutSummaries()).to.deep.equal([
      { campaignId: 'c2', ref: { kind: 'dm', channel: 'D1', ts: '3.4' } },
    ]);
    expect(await slack.lockoutMessageOf('c1')).to.deep.equal({ kind: 'thread', channel: 'C1', ts: '1.2' });
  });
});
