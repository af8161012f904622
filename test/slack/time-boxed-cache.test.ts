import { expect } from 'chai';
import sinon from 'sinon';
import { TimeBoxedCache, type TimeBoxedCacheOptions } from '../../src/slack/platform/time-boxed-cache.js';

/** A source whose every answer the test gives by hand. */
class Source {
  readonly asked: string[] = [];
  private readonly waiting = new Map<string, { answer(value: string): void; fail(error: Error): void }>();

  load = (key: string): Promise<string> => {
    this.asked.push(key);
    return new Promise((answer, fail) => this.waiting.set(key, { answer, fail }));
  };

  async answer(key: string, value: string): Promise<void> {
    this.waiting.get(key)?.answer(value);
    await Promise.resolve();
  }

  async fail(key: string): Promise<void> {
    this.waiting.get(key)?.fail(new Error('ratelimited'));
    await Promise.resolve();
  }
}

describe('TimeBoxedCache: what Slack answers, kept a while and waited for only so long', () => {
  let clock: sinon.SinonFakeTimers;
  let source: Source;
  let now: number;
  const slow = sinon.spy();
  const failed = sinon.spy();
  beforeEach(() => {
    clock = sinon.useFakeTimers();
    source = new Source();
    now = 0;
    slow.resetHistory();
    failed.resetHistory();
  });
  afterEach(() => clock.restore());

  const cache = (options: Partial<TimeBoxedCacheOptions<string, string>> = {}) =>
    new TimeBoxedCache<string, string>({
      load: source.load,
      ttlMs: 1_000,
      maxEntries: 10,
      answerWithinMs: 100,
      now: () => now,
      slow,
      failed,
      ...options,
    });

  /** A look-up whose load the source answers at once. */
  const answered = async (c: TimeBoxedCache<string, string>, key: string, value: string) => {
    const lookUp = c.get(key);
    await source.answer(key, value);
    return lookUp;
  };

  it('answers a fresh value without asking again, and asks again once it is not fresh', async () => {
    const c = cache();
    expect(await answered(c, 'U1', 'zh-CN')).to.equal('zh-CN');
    now = 999;
    expect(await c.get('U1')).to.equal('zh-CN');
    expect(source.asked).to.deep.equal(['U1']);
    now = 1_000;
    expect(await answered(c, 'U1', 'en-US')).to.equal('en-US');
    expect(source.asked).to.deep.equal(['U1', 'U1']);
  });

  it('asks once for a key however many look-ups wait for it', async () => {
    const c = cache();
    const lookUps = [c.get('U1'), c.get('U1'), c.get('U1', { timeBoxed: false })];
    await source.answer('U1', 'zh-CN');
    expect(await Promise.all(lookUps)).to.deep.equal(['zh-CN', 'zh-CN', 'zh-CN']);
    expect(source.asked).to.deep.equal(['U1']);
  });

  it('answers what is known when the source is slow, and keeps its late answer for the next look-up', async () => {
    const c = cache();
    const first = c.get('U1');
    await clock.tickAsync(99);
    expect(slow.called).to.equal(false);
    await clock.tickAsync(1);
    expect(await first, 'nothing known yet').to.equal(undefined);
    expect(slow.calledOnceWith('U1')).to.equal(true);
    await source.answer('U1', 'zh-CN');
    expect(await c.get('U1')).to.equal('zh-CN');
    expect(source.asked).to.deep.equal(['U1']);
    expect(clock.countTimers(), 'no timer left behind').to.equal(0);

    now = 5_000;
    const refresh = c.get('U1');
    await clock.tickAsync(100);
    expect(await refresh, 'the last known value').to.equal('zh-CN');
  });

  it('time-boxes a look-up that joins a load nobody time-boxed', async () => {
    const c = cache();
    const warming = c.get('U1', { timeBoxed: false });
    const lookUp = c.get('U1');
    await clock.tickAsync(100);
    expect(await lookUp).to.equal(undefined);
    await source.answer('U1', 'zh-CN');
    expect(await warming).to.equal('zh-CN');
    expect(source.asked).to.deep.equal(['U1']);
  });

  it('keeps what was known when a load fails, and asks again at the next look-up', async () => {
    const c = cache();
    await answered(c, 'U1', 'zh-CN');
    now = 2_000;
    const lookUp = c.get('U1');
    await source.fail('U1');
    expect(await lookUp).to.equal('zh-CN');
    expect(failed.calledOnceWith('U1')).to.equal(true);
    expect(await answered(c, 'U1', 'en-US')).to.equal('en-US');
    expect(source.asked).to.have.length(3);

    const unknown = c.get('U2');
    await source.fail('U2');
    expect(await unknown, 'nothing known').to.equal(undefined);
  });

  it('with failureTtlMs, answers what was known (or nothing) that long after a failure before asking again', async () => {
    const c = cache({ failureTtlMs: 100 });
    const lookUp = c.get('U1');
    await source.fail('U1');
    expect(await lookUp).to.equal(undefined);
    now = 99;
    expect(await c.get('U1')).to.equal(undefined);
    expect(source.asked).to.deep.equal(['U1']);
    now = 100;
    expect(await answered(c, 'U1', 'zh-CN')).to.equal('zh-CN');

    now = 2_000;
    const again = c.get('U1');
    await source.fail('U1');
    expect(await again).to.equal('zh-CN');
    now = 2_099;
    expect(await c.get('U1')).to.equal('zh-CN');
    expect(source.asked).to.have.length(3);
  });

  it('holds at most maxEntries keys, dropping the one the source answered longest ago', async () => {
    const c = cache({ maxEntries: 2 });
    await answered(c, 'U1', 'a');
    await answered(c, 'U2', 'b');
    // Looking U1 up again does not keep it longer: only the source's answers do.
    expect(await c.get('U1')).to.equal('a');
    await answered(c, 'U3', 'c');
    expect(await c.get('U2')).to.equal('b');
    expect(await c.get('U3')).to.equal('c');
    expect(source.asked).to.deep.equal(['U1', 'U2', 'U3']);
    expect(await answered(c, 'U1', 'a')).to.equal('a');
    expect(source.asked).to.deep.equal(['U1', 'U2', 'U3', 'U1']);
  });
});
