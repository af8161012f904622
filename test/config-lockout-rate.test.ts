import { expect } from 'chai';
import { ConfigError, loadConfig } from '../src/config/index.js';
import { VALID_ENV } from './helpers/env.js';

const rateOf = (value: string | undefined) =>
  loadConfig({ ...VALID_ENV, SIP_RESET_LOCKOUT_RATE_PER_SECOND: value }).lockout.ratePerSecond;

function problem(value: string): string {
  try {
    loadConfig({ ...VALID_ENV, SIP_RESET_LOCKOUT_RATE_PER_SECOND: value });
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(value)} to be refused`);
}

describe('configuration: SIP_RESET_LOCKOUT_RATE_PER_SECOND', () => {
  it('is 2 calls a second when unset or empty', () => {
    expect(rateOf(undefined)).to.equal(2);
    expect(rateOf('')).to.equal(2);
    expect(rateOf('  ')).to.equal(2);
  });

  it('takes a whole or a decimal number: 0.5 is one call every 2 s', () => {
    expect(rateOf('0.5')).to.equal(0.5);
    expect(rateOf(' 0.25 ')).to.equal(0.25);
    expect(rateOf('.5')).to.equal(0.5);
    expect(rateOf('3')).to.equal(3);
    expect(rateOf('2.5')).to.equal(2.5);
    expect(rateOf('0.05'), 'the slowest: one call every 20 s').to.equal(0.05);
  });

  const refused: [string, string, RegExp][] = [
    ['zero', '0', /must be greater than 0/],
    ['a decimal zero', '0.0', /must be greater than 0/],
    ['a negative number', '-1', /must be greater than 0/],
    ['a negative decimal', '-0.5', /must be greater than 0/],
    ['a word', 'fast', /must be a number of calls a second, such as 2 or 0\.5/],
    ['a unit', '2/s', /must be a number of calls a second/],
    ['a decimal comma', '0,5', /must be a number of calls a second/],
    ['an exponent', '1e-1', /must be a number of calls a second/],
    ['a fraction', '1/2', /must be a number of calls a second/],
    ['a pace slower than one call every 20 s', '0.01', /must be at least 0\.05 \(one call every 20 s\)/],
  ];
  for (const [what, value, expected] of refused) {
    it(`refuses ${what} on one line, naming the variable and not its value`, () => {
      const message = problem(value);
      expect(message).to.match(/SIP_RESET_LOCKOUT_RATE_PER_SECOND must be/);
      expect(message).to.match(expected);
      expect(message).not.to.contain('\n');
      if (value.length > 1) expect(message).not.to.contain(value);
    });
  }
});
