import { expect } from 'chai';
import sinon from 'sinon';
import { Lifecycle, type LifecycleSteps, type Servers } from '../src/lifecycle.js';

describe('Lifecycle: starting, serving, stopping', () => {
  let clock: sinon.SinonFakeTimers;
  let said: string[];
  beforeEach(() => {
    clock = sinon.useFakeTimers();
    said = [];
  });
  afterEach(() => clock.restore());

  const steps = (overrides: Partial<LifecycleSteps> = {}): LifecycleSteps => ({
    sweep: async () => void said.push('sweep'),
    starting: async () => void said.push('starting'),
    serving: () => void said.push('serving'),
    stopping: () => void said.push('stopping'),
    drained: async () => void said.push('drained'),
    ...overrides,
  });
  const servers: Servers = {
    listen: async () => void said.push('listen'),
    port: () => 3000,
    close: async () => void said.push('close'),
  };

  it('sweeps once before it listens, is ready only once serving, and sweeps every 30 s after', async () => {
    const lifecycle = new Lifecycle(steps());
    expect(lifecycle.phase).to.equal('starting');
    expect(lifecycle.port()).to.equal(undefined);
    await lifecycle.start(servers);
    expect(said).to.deep.equal(['starting', 'sweep', 'listen', 'serving']);
    expect(lifecycle.phase).to.equal('serving');
    expect(lifecycle.readiness.slackToken).to.equal(true);
    expect(lifecycle.port()).to.equal(3000);
    await clock.tickAsync(29_999);
    expect(said.filter((step) => step === 'sweep')).to.have.length(1);
    await clock.tickAsync(1);
    expect(said.filter((step) => step === 'sweep')).to.have.length(2);
  });

  it('stops once: refuses at once, stops sweeping, waits for the work in flight, then closes', async () => {
    const lifecycle = new Lifecycle(steps());
    await lifecycle.start(servers);
    let finish = (): void => undefined;
    const request = lifecycle.track(new Promise<void>((resolve) => (finish = resolve)));
    expect(lifecycle.inFlight()).to.equal(1);
    said.length = 0;

    const stopped = lifecycle.stop();
    expect(lifecycle.stop(), 'a second stop is the same stop').to.equal(stopped);
    expect(lifecycle.stopping).to.equal(true);
    await clock.tickAsync(60_000);
    expect(said, 'no sweep, nothing closed while a request runs').to.deep.equal(['stopping']);
    finish();
    await request;
    await stopped;
    expect(said).to.deep.equal(['stopping', 'drained', 'close']);
    expect(lifecycle.inFlight()).to.equal(0);
  });

  it('counts a sweep as work in flight', async () => {
    let finish = (): void => undefined;
    const lifecycle = new Lifecycle(steps({ sweep: () => new Promise((resolve) => (finish = resolve)) }));
    const sweeping = lifecycle.sweep();
    expect(lifecycle.inFlight()).to.equal(1);
    finish();
    await sweeping;
    expect(lifecycle.inFlight()).to.equal(0);
  });
});
