import { WebClient } from '@slack/web-api';
import { expect } from 'chai';
import { SlackStub } from '../../sandbox/slack-stub.js';
import { SlackLocales } from '../../src/slack/platform/locales.js';
import { captureLogger } from '../helpers/logs.js';

describe('Slack locales (users.info)', () => {
  let stub: SlackStub;
  let now: number;
  let locales: SlackLocales;
  let client: WebClient;
  const logs = captureLogger();

  beforeEach(async () => {
    now = 0;
    stub = new SlackStub({ channels: { C1: ['U1', 'U2'] }, locales: { U1: 'zh-CN' } });
    await stub.start();
    // As the app's own client: a rate limit (HTTP 429) fails at once instead of waiting its Retry-After.
    client = new WebClient(stub.token, {
      slackApiUrl: stub.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    // Generous, so that a loaded machine never takes the slow path by chance; the slow test sets its own.
    locales = new SlackLocales(client, logs.logger, () => now, 5000, { ttlMs: 1000 });
  });

  afterEach(() => stub.stop());

  it('asks for the locale and caches it per person while fresh, even for concurrent look-ups', async () => {
    expect(await Promise.all([locales.of('U1'), locales.of('U1'), locales.of('U2')])).to.deep.equal([
      'zh-CN',
      'zh-CN',
      'en-US',
    ]);
    expect(await locales.of('U1')).to.equal('zh-CN');
    const calls = stub.callsTo('users.info');
    expect(calls).to.have.length(2);
    expect(calls[0]?.args).to.include({ user: 'U1', include_locale: 'true' });
    now = 1001;
    await locales.of('U1');
    expect(stub.callsTo('users.info')).to.have.length(3);
  });

  it('keeps the last known locale when a refresh fails, and has none for an unknown person', async () => {
    await locales.of('U1');
    now = 2000;
    stub.failNext('users.info', 'ratelimited');
    expect(await locales.of('U1')).to.equal('zh-CN');
    expect(await locales.of('U9')).to.equal(undefined);
    expect(logs.text()).to.contain('could not look up a locale');
  });

  it('does not ask again for a minute after a failed look-up, then does', async () => {
    locales = new SlackLocales(client, logs.logger, () => now, 5000, { ttlMs: 1000, failureTtlMs: 100 });
    stub.failNext('users.info', 'ratelimited');
    expect(await locales.of('U1')).to.equal(undefined);
    now = 99;
    expect(await locales.of('U1')).to.equal(undefined);
    expect(stub.callsTo('users.info')).to.have.length(1);
    now = 100;
    expect(await locales.of('U1')).to.equal('zh-CN');
    expect(stub.callsTo('users.info')).to.have.length(2);
  });

  it('holds at most its limit of people, dropping the one Slack was asked about longest ago', async () => {
    locales = new SlackLocales(client, logs.logger, () => now, 5000, { maxEntries: 2 });
    await locales.of('U1');
    await locales.of('U2');
    await locales.of('U3');
    expect(stub.callsTo('users.info')).to.have.length(3);
    await locales.of('U3');
    await locales.of('U2');
    expect(stub.callsTo('users.info'), 'the two latest are held').to.have.length(3);
    expect(await locales.of('U1')).to.equal('zh-CN');
    expect(stub.callsTo('users.info'), 'the first was dropped').to.have.length(4);
  });

  it('answers from what is known when Slack is slow, and learns the locale meanwhile, asking once', async () => {
    stub.delays.set('users.info', 300);
    locales = new SlackLocales(client, logs.logger, () => now, 200, { ttlMs: 1000 });
    expect(await locales.of('U1')).to.equal(undefined);
    expect(logs.text()).to.contain('locale look-up is slow');
    let answers = 1;
    while ((await locales.of('U1')) !== 'zh-CN') answers += 1;
    expect(answers, 'a later look-up waits for the same call').to.be.lessThan(5);
    expect(stub.callsTo('users.info')).to.have.length(1);
  });
});
