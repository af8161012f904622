/**
 * The environment made into a Config: parsed by the schema, its mistakes gathered into one
 * ConfigError, and what is allowed but has no effect kept for the log at start-up and the doctor.
 */
import { ConfigError } from './config-error.js';
import { longestResetMs } from './derived.js';
import { CONFIG_VARIABLES, envSchema } from './env-schema.js';
import { ignored, lostToComment, placeholderProblems, unknownVariables } from './mistakes.js';
import { readOwnersFile } from './owners-file.js';
import type { Config } from './settings.js';

/** The list variables that are set, to nothing: each has no effect, which is never what was meant. */
const LISTS = ['SIP_RESET_HELPDESK', 'SIP_RESET_APPROVERS', 'SIP_RESET_PROTECTED'] as const;

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
    lockout: {
      ratePerSecond: e.SIP_RESET_LOCKOUT_RATE_PER_SECOND,
      grantDays: e.SIP_RESET_LOCKOUT_GRANT_DAYS,
    },
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
