import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import sinon from 'sinon';
import { CAST } from '../../sandbox/world.js';
import { en } from '../../src/i18n/en/index.js';
import { zhCN } from '../../src/i18n/zh-CN/index.js';
import { ACTION } from '../../src/slack/platform/ids.js';
import { Cleanup } from '../helpers/cleanup.js';
import { postgresDatabase, requirePostgres } from '../helpers/databases.js';
import { startedByDeadInstance } from '../helpers/dead-instance.js';
import { HEAD_OFFICE, newRequest } from '../helpers/requests.js';
import { requestReset, testWorld, worldTest, type TestWorld } from '../helpers/world.js';

const phones = (...accounts: string[]) => accounts.map((account) => ({ account, appId: HEAD_OFFICE }));

/** 1002 has three owners: Carol first by user ID, then Dave, then Mei (her Slack in Chinese). */
function ownersFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'lockout-owners-')), 'owners.json');
  writeFileSync(
    file,
    JSON.stringify({
      [CAST.chineseEmployee]: ['1002'],
      [CAST.owner]: ['1002'],
      [CAST.secondApprover]: ['1002'],
    }),
  );
  return file;
}

// Paced fast here: the pacing itself is the domain's test, on a fake clock.
const env = () => ({
  SIP_RESET_LOCKOUT_RATE_PER_SECOND: '50',
  SIP_RESET_AUDIT_CHANNEL: CAST.audit,
  SIP_RESET_OWNERS_FILE: ownersFile(),
});

async function lockOut(w: TestWorld, accounts: string[]) {
  const { lockouts } = w.sipReset.services;
  const prepared = await lockouts.prepare({
    agentId: CAST.helpdesk,
    targets: phones(...accounts),
    reason: 'SIP credentials leaked',
  });
  return { prepared, place: await lockouts.start(prepared.campaignId, CAST.helpdesk) };
}

const dmsTo = (w: TestWorld, user: string) =>
  w.slack.messages.filter((m) => m.channel === w.slack.dmOf(user));

describe("e2e: a lock-out tells each of a phone's owners", () => {
  let world: TestWorld | undefined;
  afterEach(() => world?.stop());

  worldTest(
    'the first owner gets the button; each other owner, in their language, that the first has it; the summary counts phones',
    async () => {
      const w = (world = await testWorld({ env: env() }));
      const { place } = await lockOut(w, ['1001', '1002']);
      await w.sipReset.lockoutRuns.settled();

      const carol = dmsTo(w, CAST.owner);
      expect(carol).to.have.length(1);
      expect(JSON.stringify(carol[0]?.blocks)).to.contain(en.lockoutRun.getPasswordButton);
      const [dave] = dmsTo(w, CAST.secondApprover);
      expect(dave?.text).to.equal(
        en.lockoutRun.coOwner('1002', 'Head office', 'SIP credentials leaked', `<@${CAST.owner}>`),
      );
      expect(JSON.stringify(dave?.blocks)).not.to.contain(ACTION.claim);
      const [mei] = dmsTo(w, CAST.chineseEmployee);
      expect(mei?.text)
        .to.contain('IT 服务台锁定了你的话机 *1002* （Head office）')
        .and.contain(`<@${CAST.owner}> 已收到获取新密码的按钮`)
        .and.contain('SIP credentials leaked');
      expect(mei?.text).to.equal(
        zhCN.lockoutRun.coOwner('1002', 'Head office', 'SIP credentials leaked', `<@${CAST.owner}>`),
      );
      expect(JSON.stringify(mei?.blocks)).not.to.contain(ACTION.claim);

      const summary = w.slack.messages.find((m) => m.ts === place.ts);
      expect(summary?.text)
        .to.contain('Lock-out finished: 2 of 2 phones locked out')
        .and.contain(en.lockoutRun.owners(1, 1));
      expect(summary?.text).not.to.contain('owner not told');
      // The first owner, at the phone, gets a password of their own.
      await w.driver.click(
        CAST.owner,
        { kind: 'message', channel: carol[0]?.channel ?? '', ts: carol[0]?.ts ?? '' },
        ACTION.claim,
      );
      expect(JSON.stringify(w.lastPrivate(CAST.owner, ACTION.removePassword).blocks)).to.contain(
        w.vendor.issued.at(-1),
      );
    },
  );

  worldTest(
    "sends no other owner to /sip-reset, which the first owner's open button refuses: they are told to ask the first, or the helpdesk",
    async () => {
      const w = (world = await testWorld({ env: env() }));
      await lockOut(w, ['1002']);
      await w.sipReset.lockoutRuns.settled();
      const [dave] = dmsTo(w, CAST.secondApprover);
      const [mei] = dmsTo(w, CAST.chineseEmployee);
      expect(dave?.text)
        .to.contain(`<@${CAST.owner}> was offered *Get a new password*`)
        .and.contain('ask the helpdesk');
      expect(mei?.text).to.contain(`<@${CAST.owner}> 已收到获取新密码的按钮`).and.contain('请联系 IT 服务台');
      // Why: asked with /sip-reset while the first owner's button is valid, no request is made.
      await requestReset(w, CAST.secondApprover, '1002', 'my phone too');
      expect(w.slack.sightings.at(-1)?.text).to.contain(
        'already has an open request, so no new one was made',
      );
      expect(await w.store.listByRequester(CAST.secondApprover, 5)).to.deep.equal([]);
    },
  );

  worldTest(
    "tells the withdrawn requester when the owner's grant cannot be made (the database), and names the phone in the summary for the agent",
    async () => {
      const w = (world = await testWorld({ env: env() }));
      await requestReset(w, CAST.employee, '1002', 'new desk');
      const createRequest = w.store.createRequest.bind(w.store);
      sinon
        .stub(w.store, 'createRequest')
        .callsFake((request, audit) =>
          request.lockoutId ? Promise.reject(new Error('database is locked')) : createRequest(request, audit),
        );
      const { place } = await lockOut(w, ['1002']);
      await w.sipReset.lockoutRuns.settled();

      expect(w.lastMessage(CAST.employee).text).to.equal(en.lockoutRun.withdrawn('1002', 'Head office'));
      for (const owner of [CAST.owner, CAST.secondApprover, CAST.chineseEmployee]) {
        expect(dmsTo(w, owner), `${owner} is not told: there is no button to give`).to.deep.equal([]);
      }
      const summary = w.slack.messages.find((m) => m.ts === place.ts);
      const named = `${en.lockoutRun.notToldTitle}\n${en.lockoutRun.itemLine('1002', 'Head office', en.lockoutRun.notToldReasons.grant_failed)}`;
      expect(summary?.text).to.contain('1 of 1 phone locked out').and.contain(en.lockoutRun.owners(0, 0));
      expect((summary?.blocks ?? []).map((block) => JSON.stringify(block))).to.include(
        JSON.stringify({ type: 'section', text: { type: 'mrkdwn', text: named } }),
      );
      expect(w.lastMessage(CAST.audit).text).to.contain(named);
    },
  );
});

describe('e2e: a lock-out taken over from a process that died before telling the owners, on PostgreSQL with two instances', () => {
  const cleanup = new Cleanup();
  before(async function () {
    await requirePostgres(this);
  });
  afterEach(() => cleanup.run());

  worldTest(
    'tells them once, with the grant that process made, and never resets the phone again',
    async () => {
      const database = await postgresDatabase();
      cleanup.add(() => database.drop());
      const w = await testWorld({ databaseUrl: database.url, env: env() });
      cleanup.add(() => w.stop());
      await w.addInstance();
      // The dead process: it started the lock-out, locked 1002 out, made its owner's grant and died
      // before its DM. Its lease has run out.
      const { campaignId, now } = await startedByDeadInstance(w, phones('1002', '1003'), 'left the company');
      await w.store.moveItem(campaignId, 0, ['queued'], 'locked_out', now, {
        startedAt: now,
        finishedAt: now,
      });
      const grant = await w.store.createRequest(
        newRequest({
          id: 'dead-grant',
          requesterId: CAST.owner,
          account: '1002',
          reason: 'left the company',
          status: 'approved',
          decidedAt: now,
          decidedBy: CAST.helpdesk,
          grantExpiresAt: now + 7 * 24 * 3_600_000,
          lockoutId: campaignId,
        }),
      );
      await w.store.moveItem(campaignId, 0, ['locked_out'], 'locked_out', now, { ownerRequestId: grant.id });

      await w.sweepAll();
      await w.sweepAll();
      await w.lockoutsSettledEverywhere();
      await w.sweepAll();
      await w.lockoutsSettledEverywhere();

      expect((await w.store.getCampaign(campaignId))?.state).to.equal('finished');
      expect(
        w.vendor.calls.map((c) => c.account),
        '1002 was reset by the dead process',
      ).to.deep.equal(['1003']);
      const carol = dmsTo(w, CAST.owner);
      expect(carol, 'told once, by one of the two instances').to.have.length(1);
      expect(JSON.stringify(carol[0]?.blocks))
        .to.contain(en.lockoutRun.getPasswordButton)
        .and.contain(grant.id);
      expect(dmsTo(w, CAST.secondApprover)).to.have.length(1);
      expect(dmsTo(w, CAST.chineseEmployee)).to.have.length(1);
      expect(
        (await w.store.listByRequester(CAST.owner, 10)).map((r) => r.id),
        'no second grant',
      ).to.deep.equal([grant.id]);
      expect((await w.store.listItems(campaignId)).map((i) => i.notTold)).to.deep.equal([null, null]);
      expect(w.lastMessage(CAST.audit).text).to.contain(en.lockoutRun.owners(1, 1));
    },
  );
});
