import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ItnioStub } from '../../sandbox/itnio-stub.js';
import { SlackStub } from '../../sandbox/slack-stub.js';
import { runDoctor } from '../../src/cli/doctor.js';
import { BOT_SCOPES } from '../../src/slack/platform/scopes.js';
import { migrationProvider } from '../../src/store/migrations.js';
import { SqlStore } from '../../src/store/sql-store.js';
import { runCompiled } from '../helpers/child.js';
import { postgresDatabase, sqliteDatabase } from '../helpers/databases.js';
import { expectNoSecret } from '../helpers/leaks.js';

const SIGNING_SECRET = 'doctor-signing-secret-0123';
const API_KEY = 'doctor-api-key-4567';
const API_SECRET = 'doctor-api-secret-89ab';
const BOT_TOKEN = 'xoxb-doctor-bot-token-cdef';

describe('npm run doctor', () => {
  let slack: SlackStub;
  let vendor: ItnioStub;
  let dir: string;
  let databaseUrl: string;
  let ownersFile: string;

  beforeEach(async () => {
    slack = new SlackStub(
      {
        channels: { CAPPROVALS: ['UBOB', 'UHANA'], CAUDIT: ['UHANA'] },
        channelNames: { CAPPROVALS: '#phone-approvals', CAUDIT: '#sip-reset-audit' },
        groups: { SHELPDESK: ['UHANA'], SEMPTY: [] },
        users: { UCAROL: 'Carol', UBOB: 'Bob', UHANA: 'Hana' },
      },
      BOT_TOKEN,
    );
    vendor = new ItnioStub({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      accounts: { '4luaKsL2': ['1001', '1002', '1003'], Xy12ab: ['2001'] },
    });
    await Promise.all([slack.start(), vendor.start()]);
    dir = mkdtempSync(join(tmpdir(), 'doctor-test-'));
    ownersFile = join(dir, 'owners.json');
    writeFileSync(ownersFile, JSON.stringify({ UCAROL: ['1002'] }));
    databaseUrl = sqliteDatabase().url;
    const store = new SqlStore(databaseUrl);
    await store.migrate();
    await store.close();
  });

  afterEach(async () => {
    await Promise.all([slack.stop(), vendor.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    ITNIO_API_KEY: API_KEY,
    ITNIO_API_SECRET: API_SECRET,
    ITNIO_BASE_URL: vendor.baseUrl,
    ITNIO_APP_IDS: 'Head office=4luaKsL2,Warehouse=Xy12ab',
    ITNIO_TIMEOUT_MS: '2000',
    SIP_RESET_HELPDESK: 'SHELPDESK',
    SIP_RESET_APPROVERS: 'UBOB,SHELPDESK',
    SIP_RESET_APPROVAL_CHANNEL: 'CAPPROVALS',
    SIP_RESET_OWNERS_FILE: ownersFile,
    DATABASE_URL: databaseUrl,
    ...extra,
  });

  /** Runs the doctor in this process; its output is its lines, and it proves nothing was reset. */
  async function doctor(extra: Record<string, string> = {}): Promise<{ code: number; lines: string[] }> {
    let output = '';
    const code = await runDoctor({
      env: env(extra),
      out: (text) => (output += text),
      err: (text) => (output += text),
    });
    expect(vendor.calls, 'the doctor reset nothing').to.deep.equal([]);
    expectNoSecret(output, {
      'the bot token': BOT_TOKEN,
      'the signing secret': SIGNING_SECRET,
      'the API key': API_KEY,
      'the API secret': API_SECRET,
      ...Object.fromEntries(vendor.disclosed.map((password, i) => [`queried password ${i + 1}`, password])),
    });
    return { code, lines: output.trimEnd().split('\n') };
  }

  const lineOf = (lines: string[], check: string) =>
    lines.find((line) => line.slice(5).startsWith(`${check}:`));

  it('passes a good configuration, one line per check, having only queried the vendor', async () => {
    const { code, lines } = await doctor();
    expect(lines).to.deep.equal([
      'ok   configuration: the environment is valid',
      'ok   slack token: accepted for team T1 (Example) as @sip-reset',
      `ok   slack scopes: all ${BOT_SCOPES.length} granted`,
      'ok   approval channel: CAPPROVALS (#phone-approvals), the bot is in it',
      'skip audit channel: none configured (SIP_RESET_AUDIT_CHANNEL)',
      'ok   user group SHELPDESK: 1 member',
      'ok   owners file: 1 owner of 1 account, each a Slack user',
      `ok   database: SQLite ${databaseUrl}, every migration applied`,
      'ok   phone directory Head office (4luaKsL2): not read yet: npm start reads it from ITNIO',
      'ok   phone directory Warehouse (Xy12ab): not read yet: npm start reads it from ITNIO',
      'skip phone picker: off, the account field is free text (SIP_RESET_PHONE_PICKER=on)',
      'ok   vendor app Head office (4luaKsL2): credentials accepted, 3 phones',
      'ok   vendor app Warehouse (Xy12ab): credentials accepted, 1 phone',
      'doctor: every check passed',
    ]);
    expect(code).to.equal(0);
    expect(vendor.queries.map(({ appId, size, answered }) => `${appId}/${size}/${answered}`)).to.deep.equal([
      '4luaKsL2/1/0',
      'Xy12ab/1/0',
    ]);
    expect(vendor.disclosed, "each answer held a phone's password").to.have.length(2);
  });

  it('stops at a bad configuration, one line per problem, each said once', async () => {
    const bad = await doctor({ ITNIO_API_KEY: '', PORT: 'eighty' });
    expect(bad.code).to.equal(1);
    expect(bad.lines).to.deep.equal([
      'FAIL configuration: PORT must be a port number',
      'FAIL configuration: ITNIO_API_KEY is required (the ITNIO API key)',
      'doctor: correct the configuration first; nothing else was checked',
    ]);
    expect(slack.calls).to.deep.equal([]);
  });

  it('names a misspelt variable even when the one it should have been is missing', async () => {
    const { ITNIO_APP_IDS: appIds, ...rest } = env();
    let output = '';
    const code = await runDoctor({
      env: { ...rest, ITNIO_APP_ID: appIds },
      out: (text) => (output += text),
      err: (text) => (output += text),
    });
    expect(code).to.equal(1);
    expect(output.trimEnd().split('\n')).to.deep.equal([
      'FAIL configuration: ITNIO_APP_IDS is required (a comma list of appId or Label=appId)',
      'FAIL configuration: ITNIO_APP_ID is not a setting of sip-reset and is ignored: did you mean ITNIO_APP_IDS?',
      'doctor: correct the configuration first; nothing else was checked',
    ]);
  });

  it('fails a setting that has no effect (a misspelt name, an empty list), and only warns of the rest', async () => {
    const typo = await doctor({ SIP_RESET_APROVERS: 'UBOB' });
    expect(typo.code).to.equal(1);
    expect(lineOf(typo.lines, 'configuration')).to.equal(
      'FAIL configuration: SIP_RESET_APROVERS is not a setting of sip-reset and is ignored: did you mean SIP_RESET_APPROVERS?',
    );
    expect(
      typo.lines.filter((line) => line.includes('configuration:')),
      'no "valid" beside it',
    ).to.have.length(1);
    expect(typo.lines.at(-1)).to.equal('doctor: 1 check failed');

    const empty = await doctor({ SIP_RESET_PROTECTED: '' });
    expect(empty.code).to.equal(1);
    expect(lineOf(empty.lines, 'configuration')).to.equal(
      'FAIL configuration: SIP_RESET_PROTECTED is set but lists nothing, so it has no effect: fill it in or remove it',
    );

    const unrelated = await doctor({ SLACK_WORKSPACE_URL_FOR_SOMETHING_ELSE: 'x' });
    expect(unrelated.code).to.equal(0);
    expect(unrelated.lines.slice(0, 2)).to.deep.equal([
      'ok   configuration: the environment is valid',
      'warn configuration: SLACK_WORKSPACE_URL_FOR_SOMETHING_ELSE is not a setting of sip-reset and is ignored',
    ]);
  });

  it('fails a rejected token, and skips the checks that need it', async () => {
    const { code, lines } = await doctor({ SLACK_BOT_TOKEN: 'xoxb-not-the-right-one' });
    expect(code).to.equal(1);
    expect(lineOf(lines, 'slack token')).to.equal(
      `FAIL slack token: Slack rejected SLACK_BOT_TOKEN (invalid_auth): copy the Bot User OAuth Token from the app's "OAuth & Permissions" page, reinstalling the app if it was removed.`,
    );
    for (const check of ['slack scopes', 'approval channel', 'user group SHELPDESK']) {
      expect(lineOf(lines, check)).to.equal(`skip ${check}: skipped, as the Slack token check failed`);
    }
    expect(lineOf(lines, 'owners file')).to.equal(
      'skip owners file: 1 owner of 1 account; its users not checked, as the Slack token check failed',
    );
    expect(lineOf(lines, 'database')).to.match(/^ok /);
    expect(lines.at(-1)).to.equal('doctor: 1 check failed');
  });

  it('fails an unreachable Slack at once, without waiting to ask again', async () => {
    const free = createServer().listen(0, '127.0.0.1');
    await once(free, 'listening');
    const { port } = free.address() as AddressInfo;
    await new Promise((closed) => free.close(closed));
    const { code, lines } = await doctor({ SLACK_API_URL: `http://127.0.0.1:${port}/api/` });
    expect(code).to.equal(1);
    expect(lineOf(lines, 'slack token')).to.equal(
      `FAIL slack token: Slack could not be reached at http://127.0.0.1:${port}/api/ (ECONNREFUSED)`,
    );
  });

  it('fails a Slack that answers an error other than a rejected token, saying what it answered', async () => {
    for (const [failure, said] of [
      ['ratelimited', 'ratelimited'],
      ['fatal_error', 'fatal_error'],
      ['http_503', 'HTTP 503'],
    ]) {
      slack.failNext('auth.test', failure ?? '');
      const { code, lines } = await doctor();
      expect(code).to.equal(1);
      expect(lineOf(lines, 'slack token')).to.equal(
        `FAIL slack token: Slack answered ${said} at ${slack.apiUrl}, so the token could not be checked: try again in a minute`,
      );
      expect(lineOf(lines, 'slack scopes')).to.equal(
        'skip slack scopes: skipped, as the Slack token check failed',
      );
    }
  });

  it('fails a token missing a scope the app needs, naming it', async () => {
    slack.grantedScopes.delete('users:read');
    const { code, lines } = await doctor();
    expect(code).to.equal(1);
    expect(lineOf(lines, 'slack scopes')).to.equal(
      'FAIL slack scopes: users:read not granted: add it under "OAuth & Permissions" (manifest.yml lists every scope), then reinstall the app',
    );
  });

  it('fails an approval channel that does not exist, or that the bot is not in', async () => {
    const missing = await doctor({ SIP_RESET_APPROVAL_CHANNEL: 'CNOSUCH' });
    expect(missing.code).to.equal(1);
    expect(lineOf(missing.lines, 'approval channel')).to.equal(
      'FAIL approval channel: SIP_RESET_APPROVAL_CHANNEL CNOSUCH was not found, or it is private and the bot is not in it: check the ID and invite @sip-reset',
    );
    slack.botAbsent.add('CAPPROVALS');
    const absent = await doctor();
    expect(absent.code).to.equal(1);
    expect(lineOf(absent.lines, 'approval channel')).to.equal(
      'FAIL approval channel: the bot is not in SIP_RESET_APPROVAL_CHANNEL CAPPROVALS: type /invite @sip-reset in that channel, or approval requests cannot be posted',
    );
  });

  it('checks the audit channel when one is set: there, and the bot in it', async () => {
    const good = await doctor({ SIP_RESET_AUDIT_CHANNEL: 'CAUDIT' });
    expect(good.code).to.equal(0);
    expect(lineOf(good.lines, 'audit channel')).to.equal(
      'ok   audit channel: CAUDIT (#sip-reset-audit), the bot is in it',
    );
    const missing = await doctor({ SIP_RESET_AUDIT_CHANNEL: 'CNOSUCH' });
    expect(missing.code).to.equal(1);
    expect(lineOf(missing.lines, 'audit channel')).to.equal(
      'FAIL audit channel: SIP_RESET_AUDIT_CHANNEL CNOSUCH was not found, or it is private and the bot is not in it: check the ID and invite @sip-reset',
    );
    slack.botAbsent.add('CAUDIT');
    const absent = await doctor({ SIP_RESET_AUDIT_CHANNEL: 'CAUDIT' });
    expect(absent.code).to.equal(1);
    expect(lineOf(absent.lines, 'audit channel')).to.equal(
      'FAIL audit channel: the bot is not in SIP_RESET_AUDIT_CHANNEL CAUDIT: type /invite @sip-reset in that channel, or final outcomes and audit checkpoints cannot be posted',
    );
    expect(slack.callsTo('chat.postMessage'), 'the doctor posts nothing').to.deep.equal([]);
  });

  it('fails a user group with no members, or one Slack does not know, each on its own line', async () => {
    const { code, lines } = await doctor({ SIP_RESET_HELPDESK: 'SEMPTY', SIP_RESET_APPROVERS: 'SNOSUCH' });
    expect(code).to.equal(1);
    expect(lineOf(lines, 'user group SEMPTY')).to.equal(
      'FAIL user group SEMPTY: SEMPTY has no members: nobody gets the rights it stands for',
    );
    expect(lineOf(lines, 'user group SNOSUCH')).to.equal(
      "FAIL user group SNOSUCH: SNOSUCH could not be listed (no_such_subteam): check its ID (S…, from the group's link)",
    );
    expect(lines.at(-1)).to.equal('doctor: 2 checks failed');
  });

  it('fails an owners file that does not parse, or names someone Slack does not know, and checks the rest', async () => {
    writeFileSync(ownersFile, '{"UCAROL": ["1002"],');
    const unparsed = await doctor();
    expect(unparsed.code).to.equal(1);
    expect(lineOf(unparsed.lines, 'owners file')).to.equal(
      `FAIL owners file: SIP_RESET_OWNERS_FILE: ${ownersFile} is not valid JSON`,
    );
    expect(lineOf(unparsed.lines, 'configuration')).to.match(/^ok /);
    expect(lineOf(unparsed.lines, 'vendor app Warehouse (Xy12ab)')).to.match(/^ok /);

    writeFileSync(ownersFile, JSON.stringify({ UCAROL: ['1002'], UNOBODY: ['1003'] }));
    const stranger = await doctor();
    expect(stranger.code).to.equal(1);
    expect(lineOf(stranger.lines, 'owners file')).to.equal(
      `FAIL owners file: ${ownersFile} names users Slack does not know: UNOBODY (user_not_found)`,
    );
  });

  it('fails an owners file naming deactivated users, naming them', async () => {
    writeFileSync(
      ownersFile,
      JSON.stringify({ UCAROL: ['1002'], UBOB: ['1001'], UHANA: ['1003'], UNOBODY: [] }),
    );
    slack.deactivated.add('UBOB');
    slack.deactivated.add('UHANA');
    const { code, lines } = await doctor();
    expect(code).to.equal(1);
    expect(lineOf(lines, 'owners file')).to.equal(
      `FAIL owners file: ${ownersFile} names users Slack does not know: UNOBODY (user_not_found); names deactivated users, who cannot reset anything: UBOB, UHANA`,
    );
  });

  it('fails an owners check Slack could not complete, without blaming the file', async () => {
    writeFileSync(
      ownersFile,
      JSON.stringify({ UCAROL: ['1002'], UNOBODY: ['1001'], UBOB: ['1003'], UHANA: [] }),
    );
    for (const [failure, said] of [
      ['ratelimited', 'Slack answered ratelimited'],
      ['http_500', 'Slack answered HTTP 500'],
      ['fatal_error', 'Slack answered fatal_error'],
    ]) {
      // UCAROL passes, UNOBODY is not found, then Slack fails on UBOB: UHANA is not asked.
      slack.failures.set('users.info', ['', '', failure ?? '']);
      const before = slack.callsTo('users.info').length;
      const { code, lines } = await doctor();
      expect(code).to.equal(1);
      expect(lineOf(lines, 'owners file')).to.equal(
        `FAIL owners file: ${ownersFile} names users Slack does not know: UNOBODY (user_not_found); could not be checked from UBOB on (${said}), 2 of 4 users unchecked: run the doctor again in a minute`,
      );
      expect(slack.callsTo('users.info').length - before, 'stopped at the failure').to.equal(3);
    }
  });

  it('fails an owners check Slack did not answer in time, without blaming the file', async () => {
    // Held past the client's time limit, released once the doctor has given up on it.
    const held = slack.hold('users.info');
    const { code, lines } = await doctor({ SLACK_TIMEOUT_MS: '200' });
    held.release();
    expect(code).to.equal(1);
    expect(lineOf(lines, 'owners file')).to.match(
      new RegExp(
        `^FAIL owners file: ${ownersFile} could not be checked from UCAROL on \\(Slack did not answer: .+\\), 1 of 1 users unchecked: `,
      ),
    );
    expect(lineOf(lines, 'owners file')).not.to.contain('does not know');
  });

  it('reports the phone directory: phones and last refresh per application, a failed refresh as a warning, or off', async () => {
    const store = new SqlStore(databaseUrl);
    const directory = store.phoneDirectory();
    const at = Date.UTC(2026, 0, 5, 9, 30);
    await directory.replacePhones(
      '4luaKsL2',
      [{ account: '1001', phoneName: 'Desk', groupName: 'HQ', displayNum: '1001' }],
      at,
    );
    await directory.replacePhones('Xy12ab', [], at);
    await directory.recordRefreshFailure('Xy12ab', 'api_key_disabled', at + 60_000);
    await store.close();
    const { code, lines } = await doctor();
    expect(lineOf(lines, 'phone directory Head office (4luaKsL2)')).to.equal(
      'ok   phone directory Head office (4luaKsL2): 1 phone, refreshed 2026-01-05 09:30 UTC',
    );
    expect(lineOf(lines, 'phone directory Warehouse (Xy12ab)')).to.equal(
      'warn phone directory Warehouse (Xy12ab): the last refresh failed 2026-01-05 09:31 UTC (api_key_disabled); 0 phones kept, refreshed 2026-01-05 09:30 UTC',
    );
    expect(lineOf(lines, 'phone picker')).to.equal(
      'skip phone picker: off, the account field is free text (SIP_RESET_PHONE_PICKER=on)',
    );
    expect(lineOf((await doctor({ SIP_RESET_PHONE_PICKER: 'on' })).lines, 'phone picker')).to.contain(
      "on: the app's settings must have the options load URL",
    );
    expect(code).to.equal(0);
    const off = await doctor({ SIP_RESET_DIRECTORY_REFRESH_MINUTES: '0' });
    expect(lineOf(off.lines, 'phone directory')).to.equal(
      'skip phone directory: off (SIP_RESET_DIRECTORY_REFRESH_MINUTES is 0)',
    );
    // Turned on with nothing to pick from: the doctor says why the field stays free text.
    const pickerOnly = await doctor({
      SIP_RESET_DIRECTORY_REFRESH_MINUTES: '0',
      SIP_RESET_PHONE_PICKER: 'on',
    });
    expect(lineOf(pickerOnly.lines, 'phone picker')).to.equal(
      'skip phone picker: on, but the phone directory is off, so the account field is free text',
    );
  });

  it('fails a database file that is not SQLite, saying so, and leaves it as it was', async () => {
    const garbage = join(dir, 'not-a-database.sqlite');
    const content = 'this is not an SQLite file, '.repeat(200);
    writeFileSync(garbage, content);
    const { code, lines } = await doctor({ DATABASE_URL: garbage });
    expect(code).to.equal(1);
    expect(lineOf(lines, 'database')).to.equal(
      `FAIL database: DATABASE_URL: ${garbage} is not an SQLite database (SQLITE_NOTADB): correct the path, or move that file away`,
    );
    expect(readFileSync(garbage, 'utf8')).to.equal(content);
  });

  it('passes a database that lacks migrations, saying npm start applies them, and applies none', async () => {
    const fresh = sqliteDatabase().url;
    const store = new SqlStore(fresh);
    await store.ping();
    const { code, lines } = await doctor({ DATABASE_URL: fresh });
    expect(code).to.equal(0);
    const all = Object.keys(await migrationProvider.getMigrations()).sort();
    expect(all.slice(0, 2)).to.deep.equal(['001_requests', '002_submission_once']);
    expect(lineOf(lines, 'database')).to.equal(
      `ok   database: SQLite ${fresh} lacks migrations ${all.join(', ')}: npm start applies them`,
    );
    expect(await store.pendingMigrations()).to.deep.equal(all);
    await store.close();
  });

  it('passes an SQLite file npm start will create (a first install), without creating it', async () => {
    const missing = join(dir, 'nowhere', 'sip-reset.sqlite');
    const { code, lines } = await doctor({ DATABASE_URL: missing });
    expect(code).to.equal(0);
    expect(lineOf(lines, 'database')).to.equal(
      `ok   database: SQLite ${missing} does not exist yet: npm start creates it and applies the migrations`,
    );
    expect(lines.at(-1)).to.equal('doctor: every check passed');
    expect(readdirSync(dir), 'nothing created').to.deep.equal(['owners.json']);
  });

  it('fails an SQLite file that cannot be created: a file in the way, or /proc', async () => {
    const inTheWay = join(dir, 'owners.json', 'data', 'sip-reset.sqlite');
    const blocked = await doctor({ DATABASE_URL: inTheWay });
    expect(blocked.code).to.equal(1);
    expect(lineOf(blocked.lines, 'database')).to.equal(
      `FAIL database: DATABASE_URL: cannot open or create the SQLite file ${inTheWay} (ENOTDIR): use a path in a folder this user can write`,
    );
    const proc = await doctor({ DATABASE_URL: '/proc/sip-reset/db.sqlite' });
    expect(proc.code).to.equal(1);
    expect(lineOf(proc.lines, 'database')).to.equal(
      'FAIL database: DATABASE_URL: cannot open or create the SQLite file /proc/sip-reset/db.sqlite (ENOENT): use a path in a folder this user can write',
    );
  });

  it('fails a PostgreSQL server that does not answer, without its password', async () => {
    const { code, lines } = await doctor({
      DATABASE_URL: 'postgres://sip:db-password-secret@127.0.0.1:9/sip',
    });
    expect(code).to.equal(1);
    expect(lineOf(lines, 'database')).to.equal(
      'FAIL database: DATABASE_URL: no PostgreSQL server answers at 127.0.0.1:9 (ECONNREFUSED): start it or correct the URL',
    );
    expect(lines.join('\n')).not.to.contain('db-password-secret');
  });

  it('passes a migrated PostgreSQL database', async () => {
    const database = await postgresDatabase();
    try {
      const store = new SqlStore(database.url);
      await store.migrate();
      await store.close();
      const { lines } = await doctor({ DATABASE_URL: database.url });
      expect(lineOf(lines, 'database')).to.match(
        /^ok {3}database: PostgreSQL "sip_reset_test_\w+" on 127\.0\.0\.1:5432, every migration applied$/,
      );
      expect(await database.openConnections(), 'the doctor closed its connections').to.equal(0);
    } finally {
      await database.drop();
    }
  });

  it('fails the vendor rejecting the credentials, the key or an application, per application', async () => {
    const wrongSecret = await doctor({ ITNIO_API_SECRET: 'not-the-api-secret' });
    expect(wrongSecret.code).to.equal(1);
    expect(lineOf(wrongSecret.lines, 'vendor app Head office (4luaKsL2)')).to.equal(
      'FAIL vendor app Head office (4luaKsL2): ITNIO rejected the API credentials. An admin should check ITNIO_API_KEY and ITNIO_API_SECRET. (status -1)',
    );
    expect(lineOf(wrongSecret.lines, 'vendor app Warehouse (Xy12ab)')).to.match(/^FAIL .*\(status -1\)$/);

    vendor.faults.push({ kind: 'status', status: '-30' });
    const disabled = await doctor();
    expect(lineOf(disabled.lines, 'vendor app Head office (4luaKsL2)')).to.equal(
      'FAIL vendor app Head office (4luaKsL2): The ITNIO API key is disabled. An admin should enable it or configure a new one. (status -30)',
    );

    const unseen = await doctor({ ITNIO_APP_IDS: '4luaKsL2,Elsewhere' });
    expect(unseen.code).to.equal(1);
    expect(lineOf(unseen.lines, 'vendor app 4luaKsL2')).to.match(/^ok /);
    expect(lineOf(unseen.lines, 'vendor app Elsewhere')).to.equal(
      'FAIL vendor app Elsewhere: The ITNIO API key has no permission for that voice application. An admin should grant it. (status -32)',
    );
  });

  it('fails, compiled, a .env value lost to a # in one line naming the variable and the fix', async () => {
    const dotenv = join(dir, '.env');
    writeFileSync(dotenv, 'SIP_RESET_APPROVAL_CHANNEL=#phone-approvals\n');
    const { SIP_RESET_APPROVAL_CHANNEL: _channel, ...rest } = env();
    const { code, stdout, stderr } = await runCompiled('dist/cli/doctor.js', {
      ...rest,
      DOTENV_CONFIG_PATH: dotenv,
    });
    expect(code).to.equal(1);
    expect(stderr).to.equal('');
    expect(stdout.trimEnd().split('\n')).to.deep.equal([
      "FAIL configuration: SIP_RESET_APPROVAL_CHANNEL in .env starts with #, which .env reads as a comment, so it is empty: use the channel's ID (C…, at the bottom of the channel's details), not its #name",
      'doctor: correct the configuration first; nothing else was checked',
    ]);
  });

  it(".env.example's placeholders fail, one line each", async () => {
    const { code, lines } = await doctor({
      SLACK_SIGNING_SECRET: 'your-signing-secret',
      SIP_RESET_APPROVAL_CHANNEL: 'C0123APPROVALS',
    });
    expect(code).to.equal(1);
    expect(lines).to.deep.equal([
      'FAIL configuration: SLACK_SIGNING_SECRET is still the example value from .env.example: replace it with your own',
      'FAIL configuration: SIP_RESET_APPROVAL_CHANNEL is still the example value from .env.example: replace it with your own',
      'doctor: correct the configuration first; nothing else was checked',
    ]);
  });

  it('prints no secret a vendor echoes back, in hex of either case or any other form', async () => {
    const hex = Buffer.from(API_SECRET).toString('hex');
    const echoes = [
      `expected secret ${hex}`,
      `expected secret ${hex.toUpperCase()}`,
      `key ${Buffer.from(API_KEY).toString('hex')} secret ${API_SECRET}`,
    ];
    for (const reason of echoes) {
      vendor.faults.push({ kind: 'status', status: '-77', reason });
      const { code, lines } = await doctor({ ITNIO_APP_IDS: '4luaKsL2' });
      expect(code).to.equal(1);
      expect(lineOf(lines, 'vendor app 4luaKsL2')).to.match(/^FAIL .*status -77 \(.*\[REDACTED\]/);
    }
  });

  it('runs compiled, as npm run doctor does: exit 0 when every check passes, 1 when one fails', async () => {
    const passing = await runCompiled('dist/cli/doctor.js', env());
    expect(passing.stdout).to.match(/^ok {3}configuration: /);
    expect(passing.stdout.trimEnd().split('\n').at(-1)).to.equal('doctor: every check passed');
    expect(passing.code).to.equal(0);

    const failing = await runCompiled('dist/cli/doctor.js', env({ ITNIO_API_SECRET: 'not-the-api-secret' }));
    expect(failing.code).to.equal(1);
    expect(failing.stdout).to.contain(
      'FAIL vendor app Head office (4luaKsL2): ITNIO rejected the API credentials',
    );
    expect(failing.stderr).to.equal('');
    expect(vendor.calls, 'no reset').to.deep.equal([]);
    expectNoSecret(passing.stdout + passing.stderr + failing.stdout, {
      'the bot token': BOT_TOKEN,
      'the API secret': API_SECRET,
      ...Object.fromEntries(vendor.disclosed.map((password, i) => [`queried password ${i + 1}`, password])),
    });
  });
});
