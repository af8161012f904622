import { WebClient } from '@slack/web-api';
import { expect } from 'chai';
import { SlackStub } from '../../sandbox/slack-stub.js';
import { SlackDirectory } from '../../src/slack/platform/user-groups.js';
import { captureLogger } from '../helpers/logs.js';

describe('Slack directory (user groups)', () => {
  let stub: SlackStub;
  let now: number;
  let directory: SlackDirectory;
  const logs = captureLogger();

  beforeEach(async () => {
    now = 0;
    stub = new SlackStub({ channels: {}, groups: { SDESK: ['U1', 'U2'], SAPPROVERS: ['U2'] } });
    await stub.start();
    const client = new WebClient(stub.token, { slackApiUrl: stub.apiUrl, retryConfig: { retries: 0 } });
    directory = new SlackDirectory(client, ['SDESK', 'SAPPROVERS'], logs.logger, () => now, 1000);
  });

  afterEach(() => stub.stop());

  it('resolves the configured groups a user is in', async () => {
    expect(await directory.resolve('U2')).to.deep.equal({ userId: 'U2', groupIds: ['SDESK', 'SAPPROVERS'] });
    expect(await directory.resolve('U9')).to.deep.equal({ userId: 'U9', groupIds: [] });
  });

  it('asks Slack once per group while the cache is fresh, even for concurrent look-ups', async () => {
    await Promise.all([directory.resolve('U1'), directory.resolve('U2'), directory.warm()]);
    await directory.resolve('U1');
    expect(stub.callsTo('usergroups.users.list')).to.have.length(2);
    now = 1001;
    await directory.resolve('U1');
    expect(stub.callsTo('usergroups.users.list')).to.have.length(4);
  });

  it('keeps the last known members when a refresh fails, and has none when nothing is known', async () => {
    await directory.warm();
    now = 2000;
    stub.failNext('usergroups.users.list', 'ratelimited');
    expect((await directory.resolve('U1')).groupIds).to.deep.equal(['SDESK']);

    const fresh = new SlackDirectory(
      new WebClient(stub.token, { slackApiUrl: stub.apiUrl, retryConfig: { retries: 0 } }),
      ['SMISSING'],
      logs.logger,
      () => now,
    );
    expect((await fresh.resolve('U1')).groupIds).to.deep.equal([]);
    expect(logs.text()).to.contain('no_such_subteam');
  });

  it('answers a slow look-up in time from what it knows, and learns the answer later', async () => {
    const client = new WebClient(stub.token, { slackApiUrl: stub.apiUrl, retryConfig: { retries: 0 } });
    const slow = new SlackDirectory(client, ['SDESK'], logs.logger, () => now, 1000, 50);
    stub.delays.set('usergroups.users.list', 300);
    expect((await slow.resolve('U1')).groupIds, 'nothing known yet: not a member').to.deep.equal([]);
    stub.delays.delete('usergroups.users.list');
    await slow.warm();
    expect((await slow.resolve('U1')).groupIds).to.deep.equal(['SDESK']);
    expect(stub.callsTo('usergroups.users.list'), 'the slow look-up was not repeated').to.have.length(1);
  });
});
