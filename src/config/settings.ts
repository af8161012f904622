/**
 * What the app is configured with, as the rest of it reads it: the environment parsed, checked and
 * given names (load.ts makes it from the environment).
 */
import type { PolicyConfig } from '../domain/policy.js';
import type { Locale } from '../i18n/index.js';

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
  /** Lock-outs: vendor calls a second at most, and how long an owner's "Get a new password" lasts. */
  lockout: { ratePerSecond: number; grantDays: number };
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
