import type { CustomRoute } from '@slack/bolt';

/** `GET /healthz`: 200 once the app is ready to serve, 503 before and while stopping. */
export function healthRoute(isReady: () => boolean): CustomRoute {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: (_req, res) => {
      const ready = isReady();
      res.writeHead(ready ? 200 : 503, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ status: ready ? 'ok' : 'starting' }));
    },
  };
}
