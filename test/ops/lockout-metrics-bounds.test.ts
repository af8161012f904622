import { expect } from 'chai';
import { Metrics } from '../../src/ops/metrics.js';

const sampleOf = async (metrics: Metrics, name: string) =>
  (await metrics.registry.getSingleMetricAsString(name)).split('\n').filter((line) => !line.startsWith('#'));

describe('ops: lock-out metrics, bounded', () => {
  it('count a phone not started nowhere, and an end they do not know as other', async () => {
    const metrics = new Metrics(() => Promise.resolve({}));
    metrics.lockoutPhoneDone('not_started');
    metrics.lockoutPhoneDone('queued');
    metrics.lockoutPhoneDone('locked_out');
    metrics.lockoutEnded('expired');
    expect(await sampleOf(metrics, 'sip_reset_lockout_phones_total')).to.deep.equal([
      'sip_reset_lockout_phones_total{outcome="locked_out"} 1',
    ]);
    expect(await sampleOf(metrics, 'sip_reset_lockouts_ended_total')).to.deep.equal([
      'sip_reset_lockouts_ended_total{how="other"} 1',
    ]);
  });

  it('read the queued phones at each scrape, and say NaN, not 0, when the database does not answer', async () => {
    const metrics = new Metrics(() => Promise.resolve({}));
    let answer: () => Promise<number> = () => Promise.resolve(7);
    metrics.watchLockouts(() => answer());
    expect(await sampleOf(metrics, 'sip_reset_lockout_phones_queued')).to.deep.equal([
      'sip_reset_lockout_phones_queued 7',
    ]);
    answer = () => Promise.reject(new Error('database is locked'));
    // prom-client writes it `Nan`; Prometheus reads NaN in any case.
    const [failed] = await sampleOf(metrics, 'sip_reset_lockout_phones_queued');
    expect(failed).to.match(/^sip_reset_lockout_phones_queued nan$/i);
  });
});
