import { expect } from 'chai';
import { SlackStub } from '../../sandbox/slack-stub.js';
import { verifySlackToken } from '../../src/slack/platform/startup-checks.js';
import { slackWebClient } from '../../src/slack/platform/web-api-client.js';
import { captureLogger } from '../helpers/logs.js';

describe('slack/startup-checks: who the bot token belongs to', () => {
  let slack: SlackStub;
  beforeEach(async () => {
    slack = new SlackStub({ channels: {} });
    await slack.start();
  });
  afterEach(() => slack.stop());

  const ask = () => {
    const { logger } = captureLogger();
    const config = {
      botToken: slack.token,
      signingSecret: 's',
      appToken: undefined,
      apiUrl: slack.apiUrl,
      timeoutMs: 2_000,
    };
    return verifySlackToken(slackWebClient(config, logger), config, logger, []);
  };

  it('knows its workspace from auth.test and its app from bots.info, which Slack documents for a bot', async () => {
    const owner = await ask();
    expect(owner).to.deep.include({
      teamId: 'T1',
      enterpriseId: undefined,
      enterpriseInstall: false,
      appId: 'A1',
      botId: 'BBOT',
      botUserId: 'UBOT',
    });
    expect(slack.callsTo('bots.info').map((call) => call.args.bot)).to.deep.equal(['BBOT']);
  });

  it('starts without an app ID when bots.info fails, and then checks no request for its app', async () => {
    slack.failNext('bots.info', 'missing_scope');
    const owner = await ask();
    expect(owner.teamId).to.equal('T1');
    expect(owner.appId).to.equal(undefined);
  });
});
