import { expect } from 'chai';
import type { AuditRecord } from '../../src/domain/audit.js';
import { en } from '../../src/i18n/en/index.js';
import { historyText } from '../../src/slack/blocks/history.js';

const row = (overrides: Partial<AuditRecord>): AuditRecord => ({
  seq: 1,
  at: Date.UTC(2026, 0, 2, 9, 30),
  type: 'requested',
  actor: 'UHANA',
  requestId: 'r1',
  account: '1003',
  appId: 'app1',
  detail: null,
  prevHash: '0'.repeat(64),
  hash: 'f'.repeat(64),
  ...overrides,
});

describe('Block Kit builders: account history', () => {
  it('says when nothing was recorded, escaping the account', () => {
    expect(historyText(en, '<!here>', [])).to.equal(en.history.empty('&lt;!here&gt;'));
  });

  it('shows one line per event: a date token, who unless the system, what and its facts', () => {
    const text = historyText(en, '1003', [
      row({ type: 'owner_notified', actor: 'system', detail: '{"owner":"UCAROL"}' }),
      row({ type: 'password_delivered', detail: '{"route":"dm_ephemeral"}' }),
      row({ type: 'failed', detail: '{"failureCode":"account_not_found"}' }),
    ]);
    const lines = text.split('\n');
    expect(lines[0]).to.equal(en.history.title('1003'));
    expect(lines[1]).to.match(/^• <!date\^\d+\^[^|]+\|2026-01-02 09:30 UTC>: owner told \(<@UCAROL>\)$/);
    // Words, never a raw code (issue 20, point 9).
    expect(lines[2]).to.contain(
      '<@UHANA>: password delivered privately (privately in their DM with the app)',
    );
    expect(lines[3]).to.contain('<@UHANA>: reset failed (ITNIO has no such account)');
    expect(text).not.to.match(/dm_ephemeral|account_not_found/);
  });
});
