import 'dotenv/config';
import { existsSync } from 'node:fs';
import { Writable } from 'node:stream';
import type { WebClient } from '@slack/web-api';
import {
  ConfigError,
  dotenvFileText,
  loadConfig,
  readOwnersFile,
  secretsOf,
  userGroupsOf,
  type Config,
} from '../config/index.js';
import { itnioClient } from '../composition/production.js';
import { ItnioError } from '../itnio/index.js';
import { createLogger, Redactor } from '../logging/index.js';
import type { Logger } from '../domain/logger.js';
import { BOT_SCOPES } from '../slack/platform/scopes.js';
import {
  approvalChannelCheck,
  auditChannelCheck,
  checkUsers,
  SlackTokenRejected,
  SlackUnavailable,
  userGroupCheck,
  verifySlackToken,
  type ChannelCheck,
  type TokenOwner,
} from '../slack/platform/startup-checks.js';
import { slackWebClient } from '../slack/platform/web-api-client.js';
import {
  describeDatabase,
  describeStoreError,
  sqliteCreationProblem,
  sqliteFileOf,
} from '../store/database-url.js';
import { SqlStore } from '../store/sql-store.js';
import { runAsScript, type CliIo } from './run-as-script.js';
import { errorMessage } from '../domain/errors.js';

type Status = 'ok' | 'FAIL' | 'warn' | 'skip';

/** How long the database may take to accept a connection before the check gives up on it. */
const DATABASE_CONNECT_TIMEOUT_MS = 5_000;

const NO_TOKEN = 'skipped, as the Slack token check failed';

/** The owners file as the configuration read it: its path when one is set, what is wrong with it. */
interface OwnersFile {
  path?: string;
  problem?: string;
}

/** The doctor's output: one line per check, each passed through the redactor on its way out. */
class Report {
  failures = 0;
  readonly redactor = new Redactor();

  constructor(private readonly out: (text: string) => void) {}

  line(status: Status, check: string, text: string): void {
    if (status === 'FAIL') this.failures += 1;
    this.out(`${status.padEnd(4)} ${check}: ${this.redactor.redactString(text)}\n`);
  }
}

/** The clients' own log lines are not the doctor's output: each check says what it found in its line. */
function silentLogger(redactor: Redactor): Logger {
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  return createLogger({ level: 'error', redactor, pretty: false, stream: discard });
}

/**
 * Checks the configuration against everything it names, changing nothing: the environment, the
 * Slack token and its scopes, the approval channel, the user groups, the owners file and its
 * people, the database and its migrations, and the vendor's credentials for each voice
 * application (a sipQuery of one record, whose content is never read). One line per check, never
 * a secret; a check that depends on a failed one says it was skipped. Returns the exit code.
 */
export async function runDoctor(io: CliIo): Promise<number> {
  const report = new Report(io.out);
  const owners: OwnersFile = {};
  let config: Config;
  try {
    config = loadConfig(
      io.env,
      (path) => {
        owners.path = path;
        try {
          return readOwnersFile(path);
        } catch (error) {
          // Reported as the owners file's own line, so the other checks still run.
          if (!(error instanceof ConfigError)) throw error;
          owners.problem = error.message;
          return {};
        }
      },
      dotenvFileText(io.env),
    );
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) report.line('FAIL', 'configuration', problem);
    io.out(`doctor: correct the configuration first; nothing else was checked\n`);
    return 1;
  }
  for (const secret of secretsOf(config)) report.redactor.keepSecret(secret);
  // A setting with no effect fails: the app would run, but not as its admin meant.
  for (const problem of config.ineffective) report.line('FAIL', 'configuration', problem);
  if (config.ineffective.length === 0) report.line('ok', 'configuration', 'the environment is valid');
  for (const warning of config.warnings) report.line('warn', 'configuration', warning);

  const logger = silentLogger(report.redactor);
  const checks: Array<[string, () => Promise<void>]> = [
    ['slack', () => checkSlack(config, logger, report, owners)],
    ['database', () => checkDatabase(config, report)],
    ['vendor', () => checkVendor(config, logger, report)],
  ];
  for (const [name, check] of checks) {
    try {
      await check();
    } catch (error) {
      report.line('FAIL', name, `the check itself failed: ${errorMessage(error)}`);
    }
  }
  io.out(
    report.failures === 0
      ? 'doctor: every check passed\n'
      : `doctor: ${report.failures} ${report.failures === 1 ? 'check' : 'checks'} failed\n`,
  );
  return report.failures === 0 ? 0 : 1;
}

/** The Slack checks; all but the first need the token it proves, and say `skip` without it. */
async function checkSlack(
  config: Config,
  logger: Logger,
  report: Report,
  ownersFile: OwnersFile,
): Promise<void> {
  const client = slackWebClient(config.slack, logger);
  let bot: TokenOwner | undefined;
  try {
    // Asked once: a doctor reports an unreachable Slack instead of waiting for it.
    bot = await verifySlackToken(client, config.slack, logger, []);
    const team = bot.team ? `${bot.teamId} (${bot.team})` : bot.teamId;
    report.line('ok', 'slack token', `accepted for team ${team} as @${bot.user ?? bot.botUserId}`);
  } catch (error) {
    if (!(error instanceof SlackTokenRejected || error instanceof SlackUnavailable)) throw error;
    report.line('FAIL', 'slack token', error.message);
  }
  if (bot) checkScopes(bot, report);
  else report.line('skip', 'slack scopes', NO_TOKEN);
  const channels: PostingChannelSetting[] = [
    {
      label: 'approval channel',
      variable: 'SIP_RESET_APPROVAL_CHANNEL',
      channel: config.approvalChannel,
      check: approvalChannelCheck,
    },
    {
      label: 'audit channel',
      variable: 'SIP_RESET_AUDIT_CHANNEL',
      channel: config.auditChannel,
      check: auditChannelCheck,
    },
  ];
  for (const channel of channels) await checkPostingChannel(channel, bot && client, report);
  await checkUserGroups(config, bot && client, report);
  await checkOwners(config, bot && client, report, ownersFile);
}

function checkScopes(bot: TokenOwner, report: Report): void {
  if (!bot.scopes) {
    report.line('warn', 'slack scopes', 'Slack did not say which scopes the token has (no x-oauth-scopes)');
    return;
  }
  const granted = new Set(bot.scopes);
  const missing = BOT_SCOPES.filter((scope) => !granted.has(scope));
  if (missing.length === 0) report.line('ok', 'slack scopes', `all ${BOT_SCOPES.length} granted`);
  else {
    report.line(
      'FAIL',
      'slack scopes',
      `${missing.join(', ')} not granted: add ${missing.length === 1 ? 'it' : 'them'} under "OAuth & Permissions" (manifest.yml lists every scope), then reinstall the app`,
    );
  }
}

/** A channel the app posts in, as the doctor checks it. */
interface PostingChannelSetting {
  label: string;
  variable: string;
  channel: string | undefined;
  check: (client: WebClient, channel: string) => Promise<ChannelCheck>;
}

/** `client` is undefined when the token check failed. */
async function checkPostingChannel(
  { label, variable, channel, check }: PostingChannelSetting,
  client: WebClient | undefined,
  report: Report,
): Promise<void> {
  if (!channel) report.line('skip', label, `none configured (${variable})`);
  else if (!client) report.line('skip', label, NO_TOKEN);
  else {
    const result = await check(client, channel);
    if (result.ok) {
      report.line('ok', label, `${channel}${result.name ? ` (#${result.name})` : ''}, the bot is in it`);
    } else report.line('FAIL', label, result.problem);
  }
}

async function checkUserGroups(config: Config, client: WebClient | undefined, report: Report): Promise<void> {
  const groups = userGroupsOf(config);
  if (groups.length === 0) {
    report.line('skip', 'user groups', 'none configured (SIP_RESET_HELPDESK, SIP_RESET_APPROVERS)');
  }
  for (const group of groups) {
    if (!client) {
      report.line('skip', `user group ${group}`, NO_TOKEN);
      continue;
    }
    const check = await userGroupCheck(client, group);
    if (check.ok) {
      report.line(
        'ok',
        `user group ${group}`,
        `${check.members} ${check.members === 1 ? 'member' : 'members'}`,
      );
    } else report.line('FAIL', `user group ${group}`, check.problem);
  }
}

async function checkOwners(
  config: Config,
  client: WebClient | undefined,
  report: Report,
  ownersFile: OwnersFile,
): Promise<void> {
  if (ownersFile.problem) {
    report.line('FAIL', 'owners file', ownersFile.problem);
    return;
  }
  if (!ownersFile.path) {
    report.line('skip', 'owners file', 'none configured (SIP_RESET_OWNERS_FILE)');
    return;
  }
  const owners = Object.keys(config.policy.owners);
  const accounts = Object.values(config.policy.owners).flat().length;
  const parsed = `${owners.length} ${owners.length === 1 ? 'owner' : 'owners'} of ${accounts} ${accounts === 1 ? 'account' : 'accounts'}`;
  if (!client) {
    report.line('skip', 'owners file', `${parsed}; its users not checked, as the Slack token check failed`);
    return;
  }
  const { unknown, deactivated, incomplete } = await checkUsers(client, owners);
  const problems: string[] = [];
  if (unknown.length > 0) {
    const named = unknown.map(({ userId, error }) => `${userId} (${error})`).join(', ');
    problems.push(`names users Slack does not know: ${named}`);
  }
  if (deactivated.length > 0) {
    problems.push(`names deactivated users, who cannot reset anything: ${deactivated.join(', ')}`);
  }
  if (incomplete) {
    // A failure, not a warning: "every check passed" would vouch for users nobody checked.
    const { userId, why, unchecked } = incomplete;
    problems.push(
      `could not be checked from ${userId} on (${why}), ${unchecked} of ${owners.length} users unchecked: run the doctor again in a minute`,
    );
  }
  if (problems.length === 0) report.line('ok', 'owners file', `${parsed}, each a Slack user`);
  else report.line('FAIL', 'owners file', `${ownersFile.path} ${problems.join('; ')}`);
}

/**
 * Reachable, and every migration applied; it applies none and creates nothing. What `npm start`
 * will do on its own (create the SQLite file, apply migrations) is `ok`, saying so: a first install.
 */
async function checkDatabase(config: Config, report: Report): Promise<void> {
  const { databaseUrl } = config;
  const what = describeDatabase(databaseUrl);
  const file = sqliteFileOf(databaseUrl);
  if (file && !existsSync(file)) {
    const problem = sqliteCreationProblem(databaseUrl);
    if (problem) {
      report.line(
        'FAIL',
        'database',
        describeStoreError({ code: problem }, databaseUrl) ?? `${what} cannot be created (${problem})`,
      );
    } else {
      report.line(
        'ok',
        'database',
        `${what} does not exist yet: npm start creates it and applies the migrations`,
      );
    }
    return;
  }
  let store: SqlStore | undefined;
  try {
    // Inside the try: opening a file that is not SQLite's throws from the constructor.
    store = new SqlStore(databaseUrl, {
      connectTimeoutMs: DATABASE_CONNECT_TIMEOUT_MS,
      logger: { warn: () => undefined },
    });
    const pending = await store.pendingMigrations();
    if (pending.length === 0) {
      report.line('ok', 'database', `${what}, every migration applied`);
      await reportDirectory(config, store, report);
    } else {
      report.line(
        'ok',
        'database',
        `${what} lacks ${pending.length === 1 ? 'migration' : 'migrations'} ${pending.join(', ')}: npm start applies them`,
      );
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    report.line(
      'FAIL',
      'database',
      describeStoreError(error, databaseUrl) ??
        `${what} could not be read (${typeof code === 'string' ? code : errorMessage(error)})`,
    );
  } finally {
    await store?.close();
  }
}

/**
 * The phone directory per voice application: how many phones, when last refreshed, or why its last
 * refresh failed. A failed refresh warns: the app goes on with the directory it had, checking nothing.
 */
async function reportDirectory(config: Config, store: SqlStore, report: Report): Promise<void> {
  if (config.directoryRefreshMinutes === 0) {
    report.line('skip', 'phone directory', 'off (SIP_RESET_DIRECTORY_REFRESH_MINUTES is 0)');
    if (config.phonePicker)
      report.line(
        'skip',
        'phone picker',
        'on, but the phone directory is off, so the account field is free text',
      );
    return;
  }
  const states = await store.phoneDirectory().states();
  const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  for (const { label, appId } of config.itnio.apps) {
    const check = `phone directory ${label === appId ? appId : `${label} (${appId})`}`;
    const state = states.find((s) => s.appId === appId);
    const phones = `${state?.phoneCount ?? 0} ${state?.phoneCount === 1 ? 'phone' : 'phones'}`;
    const refreshed =
      state?.refreshedAt === undefined ? 'never refreshed' : `refreshed ${utc(state.refreshedAt)}`;
    if (state?.failureCode && state.failedAt !== undefined) {
      report.line(
        'warn',
        check,
        `the last refresh failed ${utc(state.failedAt)} (${state.failureCode}); ${phones} kept, ${refreshed}`,
      );
    } else if (state?.refreshedAt === undefined) {
      report.line('ok', check, 'not read yet: npm start reads it from ITNIO');
    } else report.line('ok', check, `${phones}, ${refreshed}`);
  }
  if (config.phonePicker) {
    report.line(
      'ok',
      'phone picker',
      config.slack.appToken
        ? 'on (Socket Mode)'
        : "on: the app's settings must have the options load URL (manifest.yml's message_menu_options_url)",
    );
  } else
    report.line('skip', 'phone picker', 'off, the account field is free text (SIP_RESET_PHONE_PICKER=on)');
}

/** The vendor accepts the credentials for each voice application: a read-only query, never a reset. */
async function checkVendor(config: Config, logger: Logger, report: Report): Promise<void> {
  const vendor = itnioClient(config, { logger });
  for (const { label, appId } of config.itnio.apps) {
    const check = `vendor app ${label === appId ? appId : `${label} (${appId})`}`;
    try {
      const { total } = await vendor.sipQuery(appId);
      report.line('ok', check, `credentials accepted, ${total} ${total === 1 ? 'phone' : 'phones'}`);
    } catch (error) {
      if (!(error instanceof ItnioError)) throw error;
      const status = error.vendorStatus ? ` (status ${error.vendorStatus})` : '';
      report.line('FAIL', check, `${error.message}${status}`);
    }
  }
}

await runAsScript(import.meta.url, runDoctor);
