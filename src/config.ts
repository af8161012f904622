import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { closest, distance } from 'fastest-levenshtein';
import { z } from 'zod';
import type { PolicyConfig } from './domain/policy.js';
import { LOCALES, type Locale } from './i18n/index.js';
import { storeKind } from './store/kind.js';

/** A voice application users may choose: `label` is shown, `appId` is sent to the vendor. */
export interface VoiceApp {
  label: string;
  appId: string;
}

export interface Config {
  slack: {
    botToken: string;
    signingSecret: string;
    appToken: string | undefined;
    apiUrl: string;
    /** How long one call to Slack (Web API or response_url) may take. */
    timeoutMs: number;
  };
  port: number;
  /** The address to listen on (HTTP mode); undefined means every interface. */
  host: string | undefined;
  itnio: {
    apiKey: string;
    apiSecret: string;
    baseUrl: string;
    apps: VoiceApp[];
    timeoutMs: number;
  };
  policy: PolicyConfig;
  approvalChannel: string | undefined;
  requestTtlMinutes: number;
  grantTtlMinutes: number;
  maxRequestsPerHour: number;
  /** The language of what a whole channel sees, and of anyone whose Slack locale has no catalogue. */
  defaultLocale: Locale;
  /** How long a stop waits for resets in flight before giving up. */
  shutdownTimeoutMs: number;
  databaseUrl: string;
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  /** Audit events older than this many days are removed by the sweep; undefined keeps them all. */
  auditRetentionDays: number | undefined;
  /**
   * Where a line for every final outcome of a request, and the audit chain's checkpoint once a day,
   * are posted: a witness outside the database. Undefined posts none.
   */
  auditChannel: string | undefined;
  /** When set, GET /metrics answers only a request bearing it (Authorization: Bearer …). */
  metricsToken: string | undefined;
  /** How often the phone directory is refreshed from ITNIO's sipQuery, in minutes; 0 turns it off. */
  directoryRefreshMinutes: number;
  /**
   * Whether the form's account field picks from the phone directory (an external_select). Slack
   * sends its suggestions to the manifest's options load URL in HTTP mode, which an app set up
   * before 1.1.0 lacks: so it is on by default in Socket Mode only.
   */
  phonePicker: boolean;
  /** What is allowed but probably a mistake, one line each, for the log at start-up; never a value. */
  warnings: string[];
  /**
   * Settings that have no effect as written (a misspelt name, a list set to nothing), one line each,
   * never a value: logged as warnings at start-up, failed by the doctor.
   */
  ineffective: string[];
}

/**
 * The longest a reset can stay in flight: the vendor call with its one retry, plus a margin for
 * delivering the answer. Past it, a reset still in flight is taken for lost.
 */
export function longestResetMs(itnioTimeoutMs: number): number {
  return 2 * itnioTimeoutMs + 30_000;
}

/**
 * The longest a password may take to reach its requester: three private routes and the opening of
 * a DM, each within SLACK_TIMEOUT_MS, and a margin for recording it. Past it, a delivery left
 * unconfirmed died with its process.
 */
export function longestDeliveryMs(slackTimeoutMs: number): number {
  return 4 * slackTimeoutMs + 30_000;
}

/** Thrown for a bad environment: its message is one line meant for the admin, never holding a value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** Each problem alone, without the message's heading: the doctor gives each its own line. */
  readonly problems: readonly string[];

  constructor(problems: string | readonly string[], heading?: string) {
    const list = typeof problems === 'string' ? [problems] : problems;
    super(heading ? `${heading}: ${list.join('; ')}` : list.join('; '));
    this.problems = list;
  }
}

/**
 * The values .env.example shows, which a copy of it still holds until they are replaced: the app
 * would start with them and fail later, far from the cause. A test keeps this list equal to the
 * file's; it is here rather than read from the file, which an installed app may not carry.
 */
export const PLACEHOLDERS: Readonly<Record<string, string>> = {
  SLACK_BOT_TOKEN: 'xoxb-your-bot-token',
  SLACK_SIGNING_SECRET: 'your-signing-secret',
  SLACK_APP_TOKEN: 'xapp-your-app-token',
  ITNIO_API_KEY: 'your-api-key',
  ITNIO_API_SECRET: 'your-api-secret',
  ITNIO_APP_IDS: 'Head office=your-app-id',
  SIP_RESET_HELPDESK: 'S0123HELPDESK',
  SIP_RESET_APPROVERS: 'U0123ALICE,S0456APPROVERS',
  SIP_RESET_APPROVAL_CHANNEL: 'C0123APPROVALS',
};

function placeholderProblems(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(PLACEHOLDERS)
    .filter(([name, placeholder]) => env[name]?.trim() === placeholder)
    .map(([name]) => `${name} is still the example value from .env.example: replace it with your own`);
}

/** The .env file `import 'dotenv/config'` reads (DOTENV_PATH, DOTENV_CONFIG_PATH or ./.env), if any. */
export function dotenvFileText(env: NodeJS.ProcessEnv): string | undefined {
  const path = env.DOTENV_PATH ?? env.DOTENV_CONFIG_PATH ?? resolve('.env');
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** A line of a .env file as dotenv reads it: `NAME=value`, `export NAME=value`. */
const DOTENV_LINE = /^[ \t]*(?:export[ \t]+)?([\w.-]+)[ \t]*=[ \t]*([^\r\n]*)$/gm;

/**
 * Variables whose value in .env was lost to a `#`: dotenv takes an unquoted `#` that starts the
 * value, or follows a character other than a space, for the start of a comment, and silently
 * reads what comes before it (`SIP_RESET_APPROVAL_CHANNEL=#phone-approvals` reads as empty, which
 * turns approvals off). `# …` after a space is an ordinary comment. Only lines whose value is the
 * one in effect count: a variable already in the environment wins over .env.
 */
function lostToComment(dotenv: string | undefined, env: NodeJS.ProcessEnv): Map<string, string> {
  const lost = new Map<string, string>();
  for (const [, name = '', raw = ''] of (dotenv ?? '').matchAll(DOTENV_LINE)) {
    if (/^['"`]/.test(raw)) continue;
    const hash = raw.indexOf('#');
    if (hash < 0 || (hash > 0 && /\s/.test(raw[hash - 1] ?? ''))) continue;
    if (env[name] !== raw.slice(0, hash).trim()) continue;
    const fix =
      name === 'SIP_RESET_APPROVAL_CHANNEL'
        ? "use the channel's ID (C…, at the bottom of the channel's details), not its #name"
        : 'put the whole value in quotes, NAME="…"'.replace('NAME', name);
    lost.set(
      name,
      hash === 0
        ? `${name} in .env starts with #, which .env reads as a comment, so it is empty: ${fix}`
        : `${name} in .env holds a # that .env reads as the start of a comment, so the value is cut there: ${fix}`,
    );
  }
  return lost;
}

const SLACK_PRINCIPAL = /^[UWS][A-Z0-9]{2,}$/;
const APP_ID = /^[A-Za-z0-9_-]{1,64}$/;

const required = (what: string) =>
  z
    .string({ error: `is required (${what})` })
    .trim()
    .min(1, `is required (${what})`);

const positive = z
  .string()
  .trim()
  .regex(/^\d+$/, 'must be a whole number')
  .transform(Number)
  .refine((n) => n > 0, 'must be greater than 0');

const positiveInt = (fallback: number) => positive.optional().transform((n) => n ?? fallback);

const commaList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

const principalList = z
  .string()
  .optional()
  .transform(commaList)
  .refine(
    (ids) => ids.every((id) => SLACK_PRINCIPAL.test(id)),
    'must be a comma list of Slack user IDs (U…, W…) and user group IDs (S…)',
  );

/** An optional channel ID: a public (C…) or private (G…) channel. */
const channelId = z
  .string()
  .trim()
  .optional()
  .transform((id) => id || undefined)
  .refine((id) => id === undefined || /^[CG][A-Z0-9]{2,}$/.test(id), 'must be a channel ID (C… or G…)');

const httpUrl = (fallback: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((url) => url || fallback)
    .refine((url) => /^https?:\/\/[^\s]+$/.test(url), 'must be an http(s) URL');

const voiceApps = z
  .string({ error: 'is required (a comma list of appId or Label=appId)' })
  .transform((value, ctx) => {
    const apps = commaList(value).map((item) => {
      const [label, appId] = item.includes('=') ? item.split('=', 2).map((s) => s.trim()) : [item, item];
      return { label: label ?? '', appId: appId ?? '' };
    });
    if (apps.length === 0 || apps.some((app) => !app.label || !APP_ID.test(app.appId))) {
      ctx.addIssue({ code: 'custom', message: 'must be a comma list of appId or Label=appId' });
      return z.NEVER;
    }
    if (new Set(apps.map((app) => app.appId)).size !== apps.length) {
      ctx.addIssue({ code: 'custom', message: 'lists the same appId twice' });
      return z.NEVER;
    }
    return apps;
  });

const envSchema = z.object({
  SLACK_BOT_TOKEN: required('the bot token, xoxb-…').refine(
    (token) => token.startsWith('xoxb-'),
    'must be a bot token starting with xoxb-',
  ),
  SLACK_SIGNING_SECRET: required("the app's signing secret"),
  SLACK_APP_TOKEN: z
    .string()
    .trim()
    .optional()
    .transform((token) => token || undefined)
    .refine(
      (token) => token === undefined || token.startsWith('xapp-'),
      'must be an app token starting with xapp-',
    ),
  SLACK_API_URL: httpUrl('https://slack.com/api/').transform((url) => (url.endsWith('/') ? url : `${url}/`)),
  SLACK_TIMEOUT_MS: positiveInt(5000),
  PORT: z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a port number')
    .transform(Number)
    .refine((port) => port >= 0 && port <= 65535, 'must be a port number between 0 and 65535')
    .optional()
    .transform((port) => port ?? 3000),
  HOST: z
    .string()
    .trim()
    .optional()
    .transform((host) => host || undefined)
    .refine(
      (host) => host === undefined || /^[A-Za-z0-9.:_-]+$/.test(host),
      'must be a host name or an IP address',
    ),
  ITNIO_API_KEY: required('the ITNIO API key'),
  ITNIO_API_SECRET: required('the ITNIO API secret'),
  ITNIO_BASE_URL: httpUrl('https://api.itniotech.com/voice').transform((url) => url.replace(/\/+$/, '')),
  ITNIO_APP_IDS: voiceApps,
  ITNIO_TIMEOUT_MS: positiveInt(15000),
  SIP_RESET_HELPDESK: principalList,
  SIP_RESET_APPROVERS: principalList,
  SIP_RESET_APPROVAL_CHANNEL: channelId,
  SIP_RESET_OWNERS_FILE: z
    .string()
    .trim()
    .optional()
    .transform((path) => path || undefined),
  SIP_RESET_PROTECTED: z
    .string()
    .optional()
    .transform(commaList)
    .refine(
      (globs) => globs.every((glob) => /^[\x21-\x7e]+$/.test(glob)),
      'must be a comma list of patterns',
    ),
  SIP_RESET_PROTECTED_APPROVALS: positiveInt(2),
  SIP_RESET_REQUEST_TTL_MINUTES: positiveInt(60),
  SIP_RESET_GRANT_TTL_MINUTES: positiveInt(480),
  SIP_RESET_MAX_REQUESTS_PER_HOUR: positiveInt(5),
  SIP_RESET_DEFAULT_LOCALE: z
    .string()
    .trim()
    .optional()
    .transform((locale) => locale || 'en')
    .pipe(z.enum(LOCALES, { error: `must be one of ${LOCALES.join(', ')}` })),
  SIP_RESET_SHUTDOWN_TIMEOUT_MS: positive.optional(),
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((url) => url || './data/sip-reset.sqlite')
    .refine(
      (url) => !/^[a-z][a-z0-9+.-]+:/i.test(url) || /^(sqlite:|postgres(ql)?:\/\/)/i.test(url),
      'has an unknown scheme: use postgres://…, sqlite:… or a file path',
    ),
  SIP_RESET_AUDIT_RETENTION_DAYS: positive.optional(),
  SIP_RESET_AUDIT_CHANNEL: channelId,
  SIP_RESET_DIRECTORY_REFRESH_MINUTES: z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number (0 turns the phone directory off)')
    .transform(Number)
    .optional()
    .transform((n) => n ?? 60),
  SIP_RESET_PHONE_PICKER: z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    // Set to nothing, it is unset: the default for the mode, as LOG_LEVEL= is.
    .transform((value) => value || undefined)
    .pipe(z.enum(['on', 'off'], { error: 'must be on or off' }).optional()),
  SIP_RESET_METRICS_TOKEN: z
    .string()
    .trim()
    .optional()
    .transform((token) => token || undefined),
  LOG_LEVEL: z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((level) => level || 'info')
    .pipe(z.enum(['error', 'warn', 'info', 'debug'], { error: 'must be one of error, warn, info, debug' })),
});

/** Every environment variable the app reads: a public interface, documented in .env.example and docs/configuration.md. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

const ownersSchema = z.record(z.string().regex(/^[UW][A-Z0-9]{2,}$/), z.array(z.string().min(1)));

/** What is wrong with an owners file's content, naming the key at fault; undefined when it is right. */
function ownersProblem(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'it must be one JSON object';
  for (const [key, accounts] of Object.entries(json)) {
    if (!/^[UW][A-Z0-9]{2,}$/.test(key)) {
      return `the key ${JSON.stringify(key)} is not a Slack user ID (U… or W…, as in the member's profile)`;
    }
    if (!Array.isArray(accounts)) return `the value of ${key} must be a list of SIP accounts, like ["1001"]`;
    const bad = accounts.find((account) => typeof account !== 'string' || account.length === 0);
    if (bad !== undefined) {
      return typeof bad === 'number'
        ? `the accounts of ${key} must be quoted strings: write "${bad}", not ${bad}`
        : `the accounts of ${key} must be non-empty strings, like ["1001"]`;
    }
  }
  return undefined;
}

/** The prefixes of this app's variables: one not known under them is probably a typo. */
const OUR_PREFIXES = ['SIP_RESET_', 'ITNIO_', 'SLACK_'];

/** A variable set under our prefixes that the app does not read, and the known name closest to it. */
interface UnknownVariable {
  name: string;
  /** The known name it is probably a misspelling of, when one is close. */
  near: string | undefined;
}

function unknownVariables(env: NodeJS.ProcessEnv, known: readonly string[]): UnknownVariable[] {
  return Object.keys(env)
    .filter((name) => OUR_PREFIXES.some((prefix) => name.startsWith(prefix)) && !known.includes(name))
    .sort()
    .map((name) => {
      const near = closest(name, known as string[]);
      return {
        name,
        near: distance(name, near) <= Math.max(3, Math.floor(name.length / 4)) ? near : undefined,
      };
    });
}

const ignored = ({ name, near }: UnknownVariable) =>
  `${name} is not a setting of sip-reset and is ignored${near ? `: did you mean ${near}?` : ''}`;

/** The list variables that are set, to nothing: each has no effect, which is never what was meant. */
const LISTS = ['SIP_RESET_HELPDESK', 'SIP_RESET_APPROVERS', 'SIP_RESET_PROTECTED'] as const;

/** Reads and checks an owners file; a ConfigError names SIP_RESET_OWNERS_FILE and what is wrong. */
export function readOwnersFile(path: string): Record<string, string[]> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(`SIP_RESET_OWNERS_FILE: cannot read ${path} (${code})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(`SIP_RESET_OWNERS_FILE: ${path} is not valid JSON`);
  }
  const problem = ownersProblem(json);
  if (problem) {
    throw new ConfigError(`SIP_RESET_OWNERS_FILE: ${path} must be {"U123": ["1001", …]}: ${problem}`);
  }
  return ownersSchema.parse(json);
}

/**
 * Reads and validates the environment. Throws a ConfigError whose message names every bad variable
 * and what is wrong with it, on one line, without ever echoing a value. The owners file, when one
 * is set, is read by `readOwners` (`npm run doctor` passes one that reports a bad file apart).
 */
export function loadConfig(
  env: NodeJS.ProcessEnv,
  readOwners: (path: string) => Record<string, string[]> = readOwnersFile,
  dotenv?: string,
): Config {
  const parsed = envSchema.safeParse(env);
  const lost = lostToComment(dotenv, env);
  const unknown = unknownVariables(env, CONFIG_VARIABLES);
  const problems = [
    ...lost.values(),
    ...placeholderProblems(env),
    // A variable whose .env line lost its value is named once, with its cause.
    ...(parsed.success ? [] : parsed.error.issues)
      .filter((issue) => !lost.has(String(issue.path[0])))
      .map((issue) => `${issue.path.join('.')} ${issue.message}`),
  ];
  if (!parsed.success || problems.length > 0) {
    // A misspelt name is often why a required one is missing: say so in the same line.
    const misspelt = unknown.filter(({ near }) => near).map(ignored);
    throw new ConfigError([...problems, ...misspelt], 'Configuration error');
  }
  const e = parsed.data;
  const emptyLists = LISTS.filter((name) => env[name] !== undefined && e[name].length === 0);
  const helpdesk = e.SIP_RESET_HELPDESK;
  const approvers = e.SIP_RESET_APPROVERS.length > 0 ? e.SIP_RESET_APPROVERS : helpdesk;
  return {
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
      timeoutMs: e.SLACK_TIMEOUT_MS,
    },
    port: e.PORT,
    host: e.HOST,
    itnio: {
      apiKey: e.ITNIO_API_KEY,
      apiSecret: e.ITNIO_API_SECRET,
      baseUrl: e.ITNIO_BASE_URL,
      apps: e.ITNIO_APP_IDS,
      timeoutMs: e.ITNIO_TIMEOUT_MS,
    },
    policy: {
      helpdesk,
      approvers,
      owners: e.SIP_RESET_OWNERS_FILE ? readOwners(e.SIP_RESET_OWNERS_FILE) : {},
      protectedAccounts: e.SIP_RESET_PROTECTED,
      protectedApprovals: e.SIP_RESET_PROTECTED_APPROVALS,
    },
    approvalChannel: e.SIP_RESET_APPROVAL_CHANNEL,
    requestTtlMinutes: e.SIP_RESET_REQUEST_TTL_MINUTES,
    grantTtlMinutes: e.SIP_RESET_GRANT_TTL_MINUTES,
    maxRequestsPerHour: e.SIP_RESET_MAX_REQUESTS_PER_HOUR,
    defaultLocale: e.SIP_RESET_DEFAULT_LOCALE,
    shutdownTimeoutMs: e.SIP_RESET_SHUTDOWN_TIMEOUT_MS ?? longestResetMs(e.ITNIO_TIMEOUT_MS),
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    auditRetentionDays: e.SIP_RESET_AUDIT_RETENTION_DAYS,
    auditChannel: e.SIP_RESET_AUDIT_CHANNEL,
    metricsToken: e.SIP_RESET_METRICS_TOKEN,
    directoryRefreshMinutes: e.SIP_RESET_DIRECTORY_REFRESH_MINUTES,
    phonePicker:
      e.SIP_RESET_PHONE_PICKER === undefined
        ? e.SLACK_APP_TOKEN !== undefined
        : e.SIP_RESET_PHONE_PICKER === 'on',
    warnings: [
      ...unknown.filter(({ near }) => !near).map(ignored),
      ...(helpdesk.length === 0 && !emptyLists.includes('SIP_RESET_HELPDESK')
        ? ['SIP_RESET_HELPDESK is empty: nobody may reset any account directly, except owners']
        : []),
    ],
    ineffective: [
      ...unknown.filter(({ near }) => near).map(ignored),
      ...emptyLists.map(
        (name) => `${name} is set but lists nothing, so it has no effect: fill it in or remove it`,
      ),
      ...(approvers.length === 0 && e.SIP_RESET_APPROVAL_CHANNEL
        ? ['SIP_RESET_HELPDESK and SIP_RESET_APPROVERS are empty: nobody can approve a request']
        : []),
    ],
  };
}

/** The user groups named in the helpdesk and approver lists, whose members must be looked up. */
export function userGroupsOf(config: Config): string[] {
  return [...new Set([...config.policy.helpdesk, ...config.policy.approvers])].filter((id) =>
    id.startsWith('S'),
  );
}

/** DATABASE_URL alone, read as the app reads it: for the tools that need only the database. */
export function databaseUrlFrom(env: NodeJS.ProcessEnv): string {
  const parsed = envSchema.shape.DATABASE_URL.safeParse(env.DATABASE_URL);
  if (!parsed.success) {
    throw new ConfigError(
      `DATABASE_URL ${parsed.error.issues[0]?.message ?? 'is invalid'}`,
      'Configuration error',
    );
  }
  return parsed.data;
}

/** The values that must never appear in a log line, an error or a message. */
export function secretsOf(config: Config): string[] {
  return [
    config.slack.botToken,
    config.slack.signingSecret,
    config.slack.appToken,
    config.itnio.apiKey,
    config.itnio.apiSecret,
    config.metricsToken,
    databasePassword(config.databaseUrl),
  ].filter((value): value is string => typeof value === 'string' && value.length > 0);
}

function databasePassword(databaseUrl: string): string | undefined {
  if (storeKind(databaseUrl) !== 'postgres') return undefined;
  try {
    const password = new URL(databaseUrl).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}
