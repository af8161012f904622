import type { CustomRoute } from '@slack/bolt';

/** Where the app is in its life: only `serving` takes traffic. */
export type Phase = 'starting' | 'serving' | 'stopping';

/**
 * `GET /healthz`: 200 while serving; 503 before, and from the moment a stop begins, so a load
 * balancer sends nothing new while resets in flight finish.
 */
export function healthRoute(phase: () => Phase): CustomRoute {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: (_req, res) => {
      const now = phase();
      const serving = now === 'serving';
      res.writeHead(serving ? 200 : 503, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ status: serving ? 'ok' : now }));
    },
  };
}
