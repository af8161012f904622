import { expect } from 'chai';
import { privateTargetOf } from '../../src/slack/platform/private-target.js';

const HOOK = 'https://hooks.slack.com/commands/T1/1/abc';
const CLICK_HOOK = 'https://hooks.slack.com/actions/T1/2/def';

describe('privateTargetOf', () => {
  it('answers a slash command through its response_url, in the channel it was typed in', () => {
    expect(privateTargetOf({ user_id: 'U1', channel_id: 'C1', response_url: HOOK })).to.deep.equal({
      userId: 'U1',
      responseUrl: HOOK,
      channelId: 'C1',
    });
  });

  it("answers a click through the click's own response_url and channel first", () => {
    const click = {
      type: 'block_actions',
      user: { id: 'U2' },
      channel: { id: 'C2' },
      response_url: CLICK_HOOK,
    };
    expect(privateTargetOf(click)).to.deep.equal({ userId: 'U2', responseUrl: CLICK_HOOK, channelId: 'C2' });
  });

  it('leaves a click on the Home tab, which has neither, to the DM', () => {
    const click = { type: 'block_actions', user: { id: 'U3' }, view: { type: 'home' } };
    expect(privateTargetOf(click)).to.deep.equal({
      userId: 'U3',
      responseUrl: undefined,
      channelId: undefined,
    });
  });

  it("answers a reset modal's submission where its command was typed, from the modal's metadata", () => {
    const submission = {
      type: 'view_submission',
      user: { id: 'U4' },
      view: { private_metadata: JSON.stringify({ responseUrl: HOOK, channelId: 'C4' }) },
    };
    expect(privateTargetOf(submission)).to.deep.equal({ userId: 'U4', responseUrl: HOOK, channelId: 'C4' });
  });

  it("prefers a body's own channel to the metadata's", () => {
    const click = {
      type: 'block_actions',
      user: { id: 'U5' },
      channel: { id: 'C5' },
      view: { private_metadata: JSON.stringify({ responseUrl: HOOK, channelId: 'C9' }) },
    };
    expect(privateTargetOf(click)).to.deep.equal({ userId: 'U5', responseUrl: HOOK, channelId: 'C5' });
  });

  for (const [what, metadata] of [
    ["the deny modal's request ID", 'b3f1c2d4-request-id'],
    ['broken JSON', '{"responseUrl": '],
    ['JSON null', 'null'],
    ['fields that are not text', JSON.stringify({ responseUrl: 42, channelId: { id: 'C1' } })],
  ] as const) {
    it(`reads no way back from ${what} in the metadata`, () => {
      const submission = {
        type: 'view_submission',
        user: { id: 'U6' },
        view: { private_metadata: metadata },
      };
      expect(privateTargetOf(submission)).to.deep.equal({
        userId: 'U6',
        responseUrl: undefined,
        channelId: undefined,
      });
    });
  }

  for (const body of [undefined, null, 'U1', {}, { user: {} }, { user_id: '' }, { user: { id: 7 } }]) {
    it(`names nobody for ${JSON.stringify(body)}`, () => {
      expect(privateTargetOf(body)).to.equal(undefined);
    });
  }
});
