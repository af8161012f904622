import { expect } from 'chai';
import { catalogueFor } from '../../src/i18n/index.js';
import { statusMessage } from '../../src/slack/blocks/requests.js';
import { storedRequest, T0 } from '../helpers/requests.js';

const t = catalogueFor('en');
const appLabel = (appId: string) => (appId === 'app1' ? 'Head <office>' : appId);

describe('Block Kit builders: /sip-reset status', () => {
  it('says so plainly when there is nothing open', () => {
    expect(statusMessage(t, { requests: [], appLabel })).to.deep.equal({
      text: 'You have no open reset requests.',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'You have no open reset requests.' } }],
    });
  });

  it('shows each open state with its date, the account and app escaped', () => {
    const message = statusMessage(t, {
      requests: [
        storedRequest({ account: '<!channel>' }),
        storedRequest({ status: 'approved', grantExpiresAt: T0 + 60_000 }),
        storedRequest({ status: 'resetting', resetStartedAt: T0 + 1000 }),
      ],
      appLabel,
    });
    const lines = message.text.split('\n');
    expect(lines[1]).to.match(
      /^• \*&lt;!channel&gt;\* \(Head &lt;office&gt;\): waiting for approval, expires <!date\^/,
    );
    expect(lines[2])
      .to.contain(`approved: at the phone, press *Reset now and show password*`)
      .and.contain(`<!date^${(T0 + 60_000) / 1000}^`);
    expect(lines[3]).to.contain(`being reset since <!date^${(T0 + 1000) / 1000}^`);
    expect(message.text).not.to.contain('<!channel>');
  });

  it('stays within a section’s 3000 characters, however many and however long', () => {
    const requests = Array.from({ length: 200 }, (_, i) =>
      storedRequest({ id: `r${i}`, account: 'x'.repeat(32) }),
    );
    const { blocks } = statusMessage(t, { requests, appLabel: () => 'L'.repeat(500) });
    const text = (blocks?.[0] as { text: { text: string } }).text.text;
    expect(text.length).to.be.within(2500, 3000);
    expect(text.endsWith('\n…'), 'the cut is marked').to.equal(true);
    expect(
      text
        .split('\n')
        .slice(1, -1)
        .every((line) => line.endsWith('|2026-11-29 10:00 UTC>')),
    ).to.equal(true, 'only whole lines');
  });
});
