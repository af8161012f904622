import { expect } from 'chai';
import fc from 'fast-check';
import { LOCALES, catalogueFor } from '../../src/i18n/index.js';
import { LIMITS, clip, escapeMrkdwn, escapeWithin } from '../../src/slack/blocks/format.js';
import { blocksProblem } from '../../sandbox/slack-stub.js';

describe('Block Kit limits', () => {
  it('escapeWithin stays within its limit, cuts between characters only, and marks the cut', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 400 }),
        fc.integer({ min: 10, max: 300 }),
        (text, max) => {
          const out = escapeWithin(text, max);
          expect(out.length).to.be.at.most(max);
          if (escapeMrkdwn(text).length <= max) {
            expect(out).to.equal(escapeMrkdwn(text));
            return;
          }
          expect(out.endsWith('…')).to.equal(true);
          // What comes before the mark is the escaping of a prefix of the text.
          const kept = out.slice(0, -1);
          const prefix = [...text].map((_, i) => escapeMrkdwn([...text].slice(0, i).join('')));
          expect(prefix).to.include(kept);
        },
      ),
    );
  });

  it('clip never splits a surrogate pair', () => {
    expect(clip('😀😀😀', 4)).to.equal('😀…');
    expect(clip('abc', 3)).to.equal('abc');
  });

  for (const locale of LOCALES) {
    it(`${locale}: every fixed title, button and header fits Slack's limits`, () => {
      const t = catalogueFor(locale);
      for (const title of [
        t.modalTitle,
        ...Object.values(t.modalSubmit),
        t.modalClose,
        t.denyModalTitle,
        t.denyModalSubmit,
      ])
        expect(title.length, title).to.be.at.most(LIMITS.modalTitle);
      for (const button of [
        t.approveButton,
        t.denyButton,
        t.cancelButton,
        t.grantButton,
        t.passwordRemoveButton,
        t.home.resetButton,
      ])
        expect(button.length, button).to.be.at.most(LIMITS.button);
      for (const text of [t.confirm.claimButton, t.confirm.approveButton, t.confirm.back])
        expect(text.length, text).to.be.at.most(LIMITS.confirmButton);
      for (const title of [t.confirm.claimTitle, t.confirm.approveTitle])
        expect(title.length, title).to.be.at.most(LIMITS.confirmTitle);
      for (const header of [t.approvalHeader, t.passwordHeader])
        expect(header.length).to.be.at.most(LIMITS.header);
    });
  }

  it('the Slack stand-in refuses what Slack refuses', () => {
    const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
    expect(blocksProblem([section('x'.repeat(3000))], 50)).to.equal(undefined);
    expect(blocksProblem([section('x'.repeat(3001))], 50)).to.match(/text too long/);
    expect(
      blocksProblem([{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }], 50),
    ).to.match(/text too long/);
    expect(
      blocksProblem([{ type: 'section', fields: [{ type: 'mrkdwn', text: 'x'.repeat(2001) }] }], 50),
    ).to.match(/fields/);
    expect(
      blocksProblem(
        [
          {
            type: 'actions',
            elements: [{ type: 'button', text: { type: 'plain_text', text: 'x'.repeat(76) } }],
          },
        ],
        50,
      ),
    ).to.match(/button/);
    expect(
      blocksProblem(
        Array.from({ length: 51 }, () => section('x')),
        50,
      ),
    ).to.match(/more than 50/);
  });
});
