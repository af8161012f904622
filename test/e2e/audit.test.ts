import SQLite from 'better-sqlite3';
import { expect } from 'chai';
import { checkpointText, parseCheckpoint } from '../../src/domain/audit.js';
import { en } from '../../src/i18n/en/index.js';
import { CAST } from '../../sandbox/world.js';
import { runAuditCli } from '../../src/cli/audit.js';
import { Cleanup } from '../helpers/cleanup.js';
import { csvCells } from '../helpers/csv.js';
import { DATABASE_KINDS } from '../helpers/databases.js';
import { testWorld, type TestWorld, worldOn, worldTest } from '../helpers/world.js';
import { HEAD_OFFICE } from '../helpers/requests.js';

describe('e2e: the audit trail', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await testWorld();
  });
  afterEach(() => world.stop());

  worldTest(
    "records a reset of someone else's account: who did what, the route of the password, the owner told",
    async () => {
      await world.driver.command(CAST.helpdesk, '1002', CAST.general);
      await world.driver.submitModal(CAST.helpdesk, { account: '1002', app: HEAD_OFFICE });
      const rows = await world.store.auditOf('1002', 20);
      expect(rows.map((r) => r.type).sort()).to.deep.equal(
        [
          'completed',
          'owner_notified',
          'password_delivered',
          'password_issued',
          'requested',
          'reset_started',
        ].sort(),
      );
      for (const row of rows) expect(row).to.include({ account: '1002', appId: HEAD_OFFICE });
      expect(rows.find((r) => r.type === 'password_delivered')).to.include({
        actor: CAST.helpdesk,
        detail: '{"route":"response_url"}',
      });
      expect(rows.find((r) => r.type === 'owner_notified')?.detail).to.equal(`{"owner":"${CAST.owner}"}`);
      const [password] = world.vendor.issued;
      expect(JSON.stringify(rows)).not.to.contain(password);
      expect(await world.store.verifyAudit()).to.deep.equal({ ok: true, rows: 6 });

      const logged = world.logs.lines().filter((line) => String(line.message).startsWith('audit '));
      expect(logged.map((line) => line.message)).to.include('audit completed');
      expect(logged.find((line) => line.message === 'audit requested')?.audit).to.include({
        actor: CAST.helpdesk,
        account: '1002',
        appId: HEAD_OFFICE,
        type: 'requested',
      });
    },
  );

  worldTest(
    'logs the chain head on every append and at start-up: a checkpoint verify can hold the database to',
    async () => {
      const started = world.logs.lines().find((line) => line.message === 'audit chain head');
      expect(started).to.include({ checkpoint: `0:${'0'.repeat(64)}` });
      await world.driver.command(CAST.helpdesk, '1002', CAST.general);
      await world.driver.submitModal(CAST.helpdesk, { account: '1002', app: HEAD_OFFICE });
      const appended = world.logs.lines().filter((line) => (line.audit as { type?: string })?.type);
      const checkpoints = appended.map((line) => parseCheckpoint(String(line.checkpoint)));
      expect(checkpoints.map((c) => c?.seq)).to.deep.equal([1, 2, 3, 4, 5, 6]);
      const head = await world.store.auditHead();
      expect(checkpoints.at(-1)).to.deep.equal(head);
      expect(
        await world.store.verifyAudit({ expect: checkpoints.filter((c) => c !== undefined) }),
      ).to.deep.equal({ ok: true, rows: 6 });

      world.logs.clear();
      await world.restart();
      expect(world.logs.lines().find((line) => line.message === 'audit chain head')).to.deep.include({
        checkpoint: checkpointText(head),
        audit: head,
      });
    },
  );

  worldTest('records the approval path with its approver', async () => {
    await world.driver.command(CAST.employee, '1003', CAST.general);
    await world.driver.submitModal(CAST.employee, { account: '1003', app: HEAD_OFFICE, reason: 'new phone' });
    const approval = world.lastMessage(CAST.approvals);
    const message = { kind: 'message', channel: approval.channel, ts: approval.ts } as const;
    await world.driver.click(CAST.approver, message, 'sip_reset_approve');
    const rows = (await world.store.auditOf('1003', 20)).reverse();
    expect(rows.map((r) => `${r.type}:${r.actor}`)).to.deep.equal([
      `requested:${CAST.employee}`,
      `approval_counted:${CAST.approver}`,
      `approved:${CAST.approver}`,
    ]);
  });
});

describe('e2e: /sip-reset history', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await testWorld();
  });
  afterEach(() => world.stop());

  worldTest(
    'shows a helpdesk agent the latest events of an account, privately, and refuses anyone else',
    async () => {
      await world.driver.command(CAST.owner, '1002', CAST.general);
      await world.driver.submitModal(CAST.owner, { account: '1002', app: HEAD_OFFICE });
      const publicBefore = world.slack.messages.length;

      await world.driver.command(CAST.helpdesk, 'history 1002', CAST.general);
      const shown = world.lastPrivate(CAST.helpdesk);
      expect(shown.via).to.equal('response_url');
      expect(shown.text).to.contain(en.history.title('1002'));
      expect(shown.text).to.contain(
        `<@${CAST.owner}>: ${en.history.event.requested} (${en.history.path.direct})`,
      );
      expect(shown.text).to.contain(
        `${en.history.event.password_delivered} (${en.history.route.response_url})`,
      );
      expect(shown.text).not.to.contain(world.vendor.issued[0]);

      await world.driver.command(CAST.employee, 'history 1002', CAST.general);
      expect(world.lastPrivate(CAST.employee).text).to.equal(en.history.refused);
      await world.driver.command(CAST.helpdesk, 'history', CAST.general);
      expect(world.lastPrivate(CAST.helpdesk).text).to.equal(en.history.usage('/sip-reset'));
      expect(world.slack.messages, 'nothing public').to.have.length(publicBefore);
      expect(world.slack.views, 'no modal for a history').to.have.length(1);
    },
  );
  worldTest('does not show a row put after the chain head by hand, which verify names', async () => {
    await world.driver.command(CAST.owner, '1002', CAST.general);
    await world.driver.submitModal(CAST.owner, { account: '1002', app: HEAD_OFFICE });
    const head = await world.store.auditHead();
    const forged = new SQLite(world.config.databaseUrl);
    forged
      .prepare(
        `insert into audit_events (seq, at, type, actor, request_id, account, app_id, detail, prev_hash, hash)
         values (?, ?, 'approved', ?, null, '1002', ?, null, ?, ?)`,
      )
      .run(head.seq + 1, Date.now(), CAST.stranger, HEAD_OFFICE, head.hash, 'f'.repeat(64));
    forged.close();

    await world.driver.command(CAST.helpdesk, 'history 1002', CAST.general);
    const shown = world.lastPrivate(CAST.helpdesk).text;
    expect(shown).to.contain(en.history.event.requested);
    expect(shown).not.to.contain(CAST.stranger);
    expect(await world.store.verifyAudit()).to.include({ ok: false, seq: head.seq + 1 });
  });
});

/** Accounts a spreadsheet would evaluate, were they written into a cell as they were typed. */
const FORMULA_ACCOUNTS = ['=1+1', '@SUM(1)', '+cmd|x!A0', '-2+3', '=HYPERLINK("//evil.example","x")'];

for (const { kind } of DATABASE_KINDS) {
  describe(`e2e: npm run audit -- export, of requests for accounts typed as formulas, on ${kind}`, () => {
    let world: TestWorld;
    const cleanup = new Cleanup();
    beforeEach(async function () {
      world = await worldOn(this, cleanup, kind, (databaseUrl) => testWorld({ databaseUrl }));
    });
    afterEach(() => cleanup.run());

    async function audit(...argv: string[]): Promise<string> {
      let out = '';
      let err = '';
      const code = await runAuditCli(argv, {
        env: { DATABASE_URL: world.config.databaseUrl },
        out: (text) => (out += text),
        err: (text) => (err += text),
      });
      expect({ code, err }).to.deep.equal({ code: 0, err: '' });
      return out;
    }

    worldTest('writes each as text a spreadsheet shows, and JSON as it was typed', async () => {
      for (const account of FORMULA_ACCOUNTS) {
        await world.driver.command(CAST.employee, '', CAST.general);
        await world.driver.submitModal(CAST.employee, { account, app: HEAD_OFFICE, reason: '-lost it' });
      }
      const [header, ...rows] = csvCells(await audit('export', '--format', 'csv'));
      const column = (name: string) => (header ?? []).indexOf(name);
      const requested = rows.filter((row) => row[column('type')] === 'requested');
      expect(requested.map((row) => row[column('account')])).to.deep.equal(
        FORMULA_ACCOUNTS.map((account) => `'${account}`),
      );
      for (const row of rows) {
        expect(row).to.have.length(header?.length ?? 0);
        for (const cell of row)
          expect(cell, 'a cell a spreadsheet would evaluate').not.to.match(/^[=+\-@\t\r]/);
      }
      const json = JSON.parse(await audit('export', '--format', 'json')) as Array<Record<string, unknown>>;
      expect(json.filter((row) => row.type === 'requested').map((row) => row.account)).to.deep.equal(
        FORMULA_ACCOUNTS,
      );
    });
  });
}
