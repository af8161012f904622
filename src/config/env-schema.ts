/**
 * Every environment variable the app reads, as one zod schema: each variable's type, default and
 * the one-line message its mistake gives, never echoing a value.
 */
import { z } from 'zod';
import { LOCALES } from '../i18n/index.js';
import { ConfigError } from './config-error.js';

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

/**
 * The slowest a lock-out may call ITNIO, one call every 20 s: a longer pause would hold a stopping
 * process, and could outlast the lock-out's lease (a minute at least) between two calls.
 */
const LOCKOUT_RATE_MIN = 0.05;

/**
 * Calls a second: a whole or decimal number (0.5 is one call every 2 s), from LOCKOUT_RATE_MIN up;
 * 2 when unset.
 */
const lockoutRate = z
  .string()
  .trim()
  .optional()
  .transform((value, ctx) => {
    if (!value) return 2;
    const issue = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    if (!/^-?(\d+(\.\d+)?|\.\d+)$/.test(value))
      return issue('must be a number of calls a second, such as 2 or 0.5');
    const rate = Number(value);
    if (rate <= 0) return issue('must be greater than 0 (calls a second, such as 2 or 0.5)');
    if (rate < LOCKOUT_RATE_MIN)
      return issue(`must be at least ${LOCKOUT_RATE_MIN} (one call every ${1 / LOCKOUT_RATE_MIN} s)`);
    return rate;
  });

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

export const envSchema = z.object({
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
  SIP_RESET_LOCKOUT_RATE_PER_SECOND: lockoutRate,
  SIP_RESET_LOCKOUT_GRANT_DAYS: positiveInt(7),
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
