import { createHash, timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { VENDOR_FAILURE_CODES } from '../domain/errors.js';
import { FINAL_STATUSES } from '../domain/lifecycle.js';
import type { OpsRoute } from './server.js';
import type { DirectoryAppState } from '../domain/directory.js';

/** How a request reached its reset: at once (helpdesk, owner) or through approvers. */
export type RequestPath = 'direct' | 'approval';

/** What Slack sent that the app acknowledged. */
export type AckKind = 'command' | 'click' | 'submission' | 'suggestion' | 'other';

/** Seconds, from a few milliseconds (an ack, a local database) to a vendor's timeout. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20];

/**
 * The label values each label may take. Slack's error codes, the vendor's codes and the routes come
 * from outside (an answer names them): a value not listed here reads `other`, so no answer, however
 * odd, adds a series (twenty made-up Slack errors once added three hundred).
 */
const KNOWN = {
  /** The Web API methods the app calls, and a response_url. */
  method: [
    'apps.connections.open',
    'auth.test',
    'chat.postEphemeral',
    'chat.postMessage',
    'chat.update',
    'conversations.info',
    'conversations.open',
    'usergroups.users.list',
    'users.info',
    'views.open',
    'views.publish',
    'views.update',
    'response_url',
  ],
  /**
   * No error, the app's own words for a call without a usable answer, HTTP statuses Slack answers
   * with, and the errors Slack documents for those methods.
   */
  error: [
    'ok',
    'timeout',
    'unreachable',
    'unknown',
    'bad_response',
    'ratelimited',
    'http_400',
    'http_401',
    'http_403',
    'http_404',
    'http_410',
    'http_413',
    'http_500',
    'http_502',
    'http_503',
    'http_504',
    'access_denied',
    'account_inactive',
    'cannot_dm_bot',
    'cant_update_message',
    'channel_not_found',
    'edit_window_closed',
    'ekm_access_denied',
    'enterprise_is_restricted',
    'exchanged_trigger_id',
    'expired_trigger_id',
    'fatal_error',
    'internal_error',
    'invalid_arguments',
    'invalid_auth',
    'invalid_blocks',
    'invalid_trigger_id',
    'is_archived',
    'message_not_found',
    'missing_scope',
    'msg_too_long',
    'no_permission',
    'no_such_subteam',
    'not_allowed_token_type',
    'not_authed',
    'not_in_channel',
    'org_login_required',
    'request_timeout',
    'restricted_action',
    'service_unavailable',
    'team_access_not_granted',
    'token_expired',
    'token_revoked',
    'too_many_users',
    'user_disabled',
    'user_not_found',
    'user_not_in_channel',
    'user_not_visible',
    'users_not_found',
    'view_too_large',
  ],
  /** The vendor failure codes (VendorFailureCode), a client error of the app's own, and success. */
  code: ['ok', 'client_error', ...VENDOR_FAILURE_CODES],
  /** Why a directory refresh failed: a vendor failure code, or the store's or the app's own. */
  directoryFailure: [...VENDOR_FAILURE_CODES, 'store_error', 'directory_error'],
  /** A request's final states. */
  outcome: FINAL_STATUSES,
  route: ['response_url', 'ephemeral', 'dm_ephemeral'],
  /** How a lock-out ended: every phone tried, or stopped by a helpdesk agent. */
  lockoutEnd: ['finished', 'stopped'],
  /** What became of a lock-out's phone (one not started is counted by its lock-out's end). */
  lockoutPhone: ['locked_out', 'failed', 'unknown'],
} as const;

const KNOWN_SETS = new Map(
  Object.entries(KNOWN).map(([label, values]) => [label, new Set<string>(values)] as const),
);

/** The value itself when its label lists it, else `other`. */
function bounded(label: keyof typeof KNOWN, value: string): string {
  return KNOWN_SETS.get(label)?.has(value) ? value : 'other';
}

/**
 * The app's Prometheus metrics, in a registry of their own (tests run several apps in one
 * process). No label holds a user, an account, a request or anything else without a bound.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly requestsCreated: Counter<'path'>;
  private readonly requestsFinished: Counter<'path' | 'outcome'>;
  private readonly vendorCalls: Histogram<'code'>;
  private readonly slackCalls: Histogram<'method' | 'error'>;
  private readonly acks: Histogram<'kind'>;
  private readonly deliveries: Counter<'route'>;
  private readonly deliveryFailures: Counter;
  private readonly sweepExpired: Counter;
  private readonly sweepRecovered: Counter;
  private readonly directoryFailures: Counter<'app' | 'code'>;
  private readonly lockoutsStarted: Counter;
  private readonly lockoutsStopped: Counter;
  private readonly lockoutsEnded: Counter<'how'>;
  private readonly lockoutPhones: Counter<'outcome'>;
  /** The configured voice applications: the only values the directory's `app` label takes. */
  private directoryApps = new Set<string>();

  /** `openCounts` reads how many requests are in each open state, at each scrape. */
  constructor(openCounts: () => Promise<Record<string, number>>) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requestsCreated = new Counter({
      name: 'sip_reset_requests_created_total',
      help: 'Reset requests created, by path (direct or approval).',
      labelNames: ['path'],
      registers,
    });
    this.requestsFinished = new Counter({
      name: 'sip_reset_requests_finished_total',
      help: 'Reset requests that reached a final state, by path and outcome.',
      labelNames: ['path', 'outcome'],
      registers,
    });
    this.vendorCalls = new Histogram({
      name: 'sip_reset_vendor_call_duration_seconds',
      help: 'Calls to the vendor to reset a password, by result code (ok, or why it failed).',
      labelNames: ['code'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.slackCalls = new Histogram({
      name: 'sip_reset_slack_call_duration_seconds',
      help: "Calls to Slack's Web API (and response_url), by method and error (ok when none).",
      labelNames: ['method', 'error'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.acks = new Histogram({
      name: 'sip_reset_ack_duration_seconds',
      help: 'Time from receiving a command, click or submission to acknowledging it (Slack allows 3 s).',
      labelNames: ['kind'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.deliveries = new Counter({
      name: 'sip_reset_private_deliveries_total',
      help: 'Private messages delivered, by the route that worked (response_url, ephemeral, dm_ephemeral).',
      labelNames: ['route'],
      registers,
    });
    this.deliveryFailures = new Counter({
      name: 'sip_reset_private_delivery_failures_total',
      help: 'Private messages no route could deliver.',
      registers,
    });
    this.sweepExpired = new Counter({
      name: 'sip_reset_sweep_expired_total',
      help: 'Pending requests and unused approvals the sweep expired.',
      registers,
    });
    this.sweepRecovered = new Counter({
      name: 'sip_reset_sweep_recovered_total',
      help: 'Resets left in flight by a stopped process that the sweep settled as outcome unknown.',
      registers,
    });
    this.directoryFailures = new Counter({
      name: 'sip_reset_directory_refresh_failures_total',
      help: 'Phone directory refreshes that failed (the last good directory was kept), by voice application and code.',
      labelNames: ['app', 'code'],
      registers,
    });
    this.lockoutsStarted = new Counter({
      name: 'sip_reset_lockouts_started_total',
      help: 'Incident lock-outs started (confirmed by their agent).',
      registers,
    });
    this.lockoutsStopped = new Counter({
      name: 'sip_reset_lockouts_stopped_total',
      help: 'Incident lock-outs stopped before their end (Stop pressed, or no progress message to press it on).',
      registers,
    });
    this.lockoutsEnded = new Counter({
      name: 'sip_reset_lockouts_ended_total',
      help: 'Incident lock-outs ended, by how: finished (every phone tried) or stopped.',
      labelNames: ['how'],
      registers,
    });
    this.lockoutPhones = new Counter({
      name: 'sip_reset_lockout_phones_total',
      help: "Incident lock-outs' phones, by outcome: locked_out, failed, unknown (ITNIO's answer never came).",
      labelNames: ['outcome'],
      registers,
    });
    new Gauge({
      name: 'sip_reset_open_requests',
      help: 'Requests in each open state: pending (awaiting approval), approved (a grant not yet used), resetting, delivering (a password issued, not yet shown).',
      labelNames: ['state'],
      registers,
      async collect() {
        try {
          for (const [state, count] of Object.entries(await openCounts())) this.set({ state }, count);
        } catch {
          // A scrape during a database outage still answers; the gauge has no value rather than a stale one.
          this.reset();
        }
      },
    });
  }

  requestCreated(path: RequestPath): void {
    this.requestsCreated.inc({ path });
  }

  requestFinished(path: RequestPath, outcome: string): void {
    this.requestsFinished.inc({ path, outcome: bounded('outcome', outcome) });
  }

  vendorCall(code: string, seconds: number): void {
    this.vendorCalls.observe({ code: bounded('code', code) }, seconds);
  }

  slackCall(method: string, error: string, seconds: number): void {
    this.slackCalls.observe({ method: bounded('method', method), error: bounded('error', error) }, seconds);
  }

  ack(kind: AckKind, seconds: number): void {
    this.acks.observe({ kind }, seconds);
  }

  delivered(route: string): void {
    this.deliveries.inc({ route: bounded('route', route) });
  }

  deliveryFailed(): void {
    this.deliveryFailures.inc();
  }

  directoryRefreshFailed(appId: string, code: string): void {
    this.directoryFailures.inc({
      app: this.directoryApps.has(appId) ? appId : 'other',
      code: bounded('directoryFailure', code),
    });
  }

  /**
   * The phone directory's size and age per configured application, read at each scrape from the
   * database (so every instance reports the directory all of them share).
   */
  watchDirectory(
    states: () => Promise<DirectoryAppState[]>,
    appIds: readonly string[],
    now: () => number,
  ): void {
    this.directoryApps = new Set(appIds);
    const registers = [this.registry];
    new Gauge({
      name: 'sip_reset_directory_phones',
      help: 'Phones in the directory, by voice application.',
      labelNames: ['app'],
      registers,
      async collect() {
        try {
          for (const state of await states())
            if (appIds.includes(state.appId)) this.set({ app: state.appId }, state.phoneCount);
        } catch {
          this.reset();
        }
      },
    });
    new Gauge({
      name: 'sip_reset_directory_age_seconds',
      help: 'Seconds since the last successful directory refresh, by voice application (absent before the first).',
      labelNames: ['app'],
      registers,
      async collect() {
        try {
          for (const state of await states()) {
            if (appIds.includes(state.appId) && state.refreshedAt !== undefined)
              this.set({ app: state.appId }, Math.max(0, (now() - state.refreshedAt) / 1000));
          }
        } catch {
          this.reset();
        }
      },
    });
  }

  lockoutStarted(): void {
    this.lockoutsStarted.inc();
  }

  lockoutStopped(): void {
    this.lockoutsStopped.inc();
  }

  lockoutEnded(how: string): void {
    this.lockoutsEnded.inc({ how: bounded('lockoutEnd', how) });
  }

  /** A phone's outcome; a phone not started (nor queued, nor in flight) is not counted. */
  lockoutPhoneDone(outcome: string): void {
    if (KNOWN_SETS.get('lockoutPhone')?.has(outcome)) this.lockoutPhones.inc({ outcome });
  }

  /**
   * The phones still queued in the running lock-outs this instance runs, read at each scrape: each
   * lock-out has one instance under its lease, so the instances' sum counts each phone once.
   */
  watchLockouts(queuedPhones: () => Promise<number>): void {
    new Gauge({
      name: 'sip_reset_lockout_phones_queued',
      help: 'Phones still queued in the running lock-outs this instance runs (sum over the instances).',
      registers: [this.registry],
      async collect() {
        try {
          this.set(await queuedPhones());
        } catch {
          // A series without labels cannot be left out: NaN, not a 0 that would say none is queued.
          this.set(Number.NaN);
        }
      },
    });
  }

  swept(expired: number, recovered: number): void {
    this.sweepExpired.inc(expired);
    this.sweepRecovered.inc(recovered);
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** `GET /metrics` in Prometheus' text format; with a token, only for a request that bears it. */
export function metricsRoute(metrics: Metrics, token: string | undefined): OpsRoute {
  const expected = token === undefined ? undefined : digest(`Bearer ${token}`);
  return {
    path: '/metrics',
    handler: async (req, res) => {
      // Digests of equal length: the comparison takes the same time whatever was sent.
      if (expected && !timingSafeEqual(digest(req.headers.authorization ?? ''), expected)) {
        res.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end();
        return;
      }
      const body = await metrics.registry.metrics();
      res.writeHead(200, { 'Content-Type': metrics.registry.contentType }).end(body);
    },
  };
}
