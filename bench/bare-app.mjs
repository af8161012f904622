// The baseline: Bolt alone, of the same version as the product, over the same HTTP receiver. Its
// command handler only acknowledges and opens a fixed modal, so whatever the product costs beyond
// this is the product's own. Plain JavaScript run by `node`, as the product's dist/main.js is.
import bolt from '@slack/bolt';

const { App, HTTPReceiver, LogLevel } = bolt;

const receiver = new HTTPReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  endpoints: '/slack/events',
  customRoutes: [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"status":"ok"}');
      },
    },
  ],
});

const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  receiver,
  logLevel: LogLevel.INFO,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
});

// The product's own modal, which the bench builds once and passes: fixed, and the same bytes to
// Slack as the product sends.
const modal = JSON.parse(process.env.BENCH_MODAL);

app.command('/sip-reset', async ({ ack, command, client }) => {
  await ack();
  await client.views.open({ trigger_id: command.trigger_id, view: modal });
});

await app.start(Number(process.env.PORT));
process.on('SIGTERM', () => void app.stop().then(() => process.exit(0)));
