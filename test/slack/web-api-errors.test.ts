import { expect } from 'chai';
import { slackError } from '../../src/slack/platform/web-api-errors.js';

describe('slackError: what a log says of a failure', () => {
  it("says the Web API's code, else the message", () => {
    expect(
      slackError(Object.assign(new Error('An API error occurred'), { data: { error: 'ratelimited' } })),
    ).to.equal('ratelimited');
    expect(slackError(new Error('connection lost'))).to.equal('connection lost');
  });

  it('describes anything else thrown without throwing: undefined, null, a string, an object with no prototype', () => {
    expect(slackError(undefined)).to.equal('undefined');
    expect(slackError(null)).to.equal('null');
    expect(slackError('a bare reason')).to.equal('a bare reason');
    expect(slackError({ data: null })).to.equal('[object Object]');
    expect(slackError(Object.create(null))).to.equal('object');
  });
});
