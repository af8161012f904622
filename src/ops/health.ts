import type { OpsRoute } from './server.js';

/** Where the app is in its life: only `serving` takes traffic. */
export type Phase = 'starting' | 'serving' | 'stopping';

/**
 * `GET /healthz`: 200 while serving; 503 before, and from the moment a stop begins, so a load
 * balancer sends nothing new while resets in flight finish.
 */
export function healthRoute(phase: () => Phase): OpsRoute {
  return {
    path: '/healthz',
    handler: (_req, res) => {
      const now = phase();
      const serving = now === 'serving';
      res.writeHead(serving ? 200 : 503, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ status: serving ? 'ok' : now }));
    },
  };
}

/** What `GET /readyz` asks before it says the app can do its work. */
export interface ReadinessChecks {
  phase(): Phase;
  /** Answers a trivial query, or throws. */
  database(): Promise<void>;
  /** Whether Slack accepted the bot token when the app started. */
  slackToken(): boolean;
  /** Whether the vendor's credentials and applications are configured. */
  vendorConfigured(): boolean;
}

/** A database that takes longer than this is not ready: a probe must answer before its own timeout. */
const DATABASE_PROBE_MS = 2_000;

/** The first reason the app cannot do its work now, or undefined when it can. */
async function notReadyBecause(checks: ReadinessChecks): Promise<string | undefined> {
  const phase = checks.phase();
  if (phase !== 'serving') return phase === 'starting' ? 'the app is starting' : 'the app is stopping';
  if (!checks.slackToken()) return 'Slack has not accepted the bot token';
  if (!checks.vendorConfigured()) return 'the vendor configuration is not loaded';
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), DATABASE_PROBE_MS);
  });
  try {
    const answer = await Promise.race([checks.database().then(() => 'ok' as const), timeout]);
    if (answer === 'timeout') return 'the database did not answer in time';
  } catch {
    // The error's text is for the logs of the call that needs the database, not for a probe's caller.
    return 'the database does not answer';
  } finally {
    clearTimeout(timer);
  }
  return undefined;
}

/**
 * `GET /readyz`: 200 when the database answers, Slack accepted the token and the vendor is
 * configured; otherwise 503 with the first reason, on one line of JSON.
 */
export function readyRoute(checks: ReadinessChecks): OpsRoute {
  return {
    path: '/readyz',
    handler: async (_req, res) => {
      const reason = await notReadyBecause(checks);
      res.writeHead(reason ? 503 : 200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(reason ? { status: 'not_ready', reason } : { status: 'ready' }));
    },
  };
}
