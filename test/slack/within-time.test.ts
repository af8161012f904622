import { expect } from 'chai';
import sinon from 'sinon';
import { withinTime } from '../../src/slack/platform/within-time.js';

describe('withinTime: a read the listener waits for only so long', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => (clock = sinon.useFakeTimers()));
  afterEach(() => clock.restore());

  const spies = () => ({ late: sinon.spy(), failed: sinon.spy() });

  it('answers what the read answers in time, and leaves no timer behind', async () => {
    const on = spies();
    expect(await withinTime(async () => 'late', 1_000, on)).to.equal('late');
    expect(on.late.called || on.failed.called).to.equal(false);
    expect(clock.countTimers()).to.equal(0);
  });

  it('answers undefined at the limit, saying it was late, without waiting for the read', async () => {
    const on = spies();
    const answer = withinTime(() => new Promise<string>(() => undefined), 1_000, on);
    await clock.tickAsync(999);
    expect(on.late.called).to.equal(false);
    await clock.tickAsync(1);
    expect(await answer).to.equal(undefined);
    expect(on.late.calledOnce).to.equal(true);
  });

  it('answers undefined when the read fails, handing over its error', async () => {
    const on = spies();
    const error = new Error('database gone');
    expect(await withinTime(() => Promise.reject(error), 1_000, on)).to.equal(undefined);
    expect(on.failed.calledOnceWith(error)).to.equal(true);
    expect(on.late.called).to.equal(false);
    expect(clock.countTimers()).to.equal(0);
  });
});
