import { HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import { expect } from 'chai';
import { loadConfig } from '../../src/config/index.js';
import { compose } from '../../src/composition/index.js';
import { SqlStore } from '../../src/store/sql-store.js';
import { VALID_ENV } from '../helpers/env.js';
import { sqliteDatabase } from '../helpers/databases.js';
import { captureLogger } from '../helpers/logs.js';

describe('compose', () => {
  const vendor = { sipReset: () => Promise.reject(new Error('not called')) };

  function receiverOf(env: Record<string, string>): unknown {
    const store = new SqlStore(sqliteDatabase().url);
    const { app } = compose(loadConfig({ ...VALID_ENV, ...env }), {
      logger: captureLogger().logger,
      store,
      slackStore: store.slackStore(),
      vendor,
      botIdentity: { botId: 'B1', botUserId: 'U1' },
    });
    void store.close();
    return (app as unknown as { receiver: unknown }).receiver;
  }

  it('serves HTTP by default', () => {
    expect(receiverOf({})).to.be.instanceOf(HTTPReceiver);
  });

  it('uses Socket Mode when SLACK_APP_TOKEN is set', () => {
    expect(receiverOf({ SLACK_APP_TOKEN: 'xapp-1-A1-test' })).to.be.instanceOf(SocketModeReceiver);
  });
});
