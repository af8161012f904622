import { expect } from 'chai';
import type { LockoutRuns } from '../../src/slack/flows/lockout-run.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { lockoutRunsOver, phones, slackClientStub } from '../helpers/lockout-world.js';
import { FakeVendor, memoryUseCases, POLICY } from '../helpers/use-cases.js';

const OWNERS = ['UOWN1', 'UOWN2', 'UOWN3', 'UOWN4', 'UOWN5', 'UOWN6', 'UOWN7', 'UOWN8'];

/**
 * A lock-out's Slack side over the use cases in memory, its Slack DMs held open until the test lets
 * them answer: what it asks at once is what it sent before any answer came.
 */
function slackSide() {
  const store = new MemoryStore();
  const vendor = new FakeVendor();
  const useCases = memoryUseCases({
    store,
    vendor,
    policy: { ...POLICY, owners: Object.fromEntries(OWNERS.map((owner) => [owner, ['1002']])) },
    now: () => Date.now(),
    sleep: () => Promise.resolve(),
  });
  const asked: string[] = [];
  const answers: Array<(told: boolean) => void> = [];
  const held = (who: string) => {
    asked.push(who);
    return new Promise<boolean>((answer) => answers.push(answer));
  };
  const runs = lockoutRunsOver(useCases, store, {
    client: slackClientStub(),
    messages: { sendGrant: (grant) => held(`grant:${grant.requesterId}`), refresh: () => Promise.resolve() },
    notices: { tell: (target) => held(typeof target === 'string' ? target : target.userId) },
  });
  return { runs, useCases, asked, answers };
}

/** Phone 1002, the eight owners', locked out by the helpdesk: the lock-out's ID. */
async function lockOut1002(runs: LockoutRuns): Promise<string> {
  const { campaignId } = await runs.prepare({ agentId: 'UHELP', targets: phones('1002'), reason: 'leaked' });
  await runs.start(campaignId, 'UHELP');
  return campaignId;
}

/** Lets the event loop run until `done` holds, or fails after many turns. */
async function until(done: () => boolean): Promise<void> {
  for (let turn = 0; turn < 1_000 && !done(); turn += 1)
    await new Promise((resolve) => setImmediate(resolve));
  expect(done(), 'reached in time').to.equal(true);
}

describe("flow: a locked-out phone's owners are told at once", () => {
  it('sends every owner their DM before Slack has answered any, so a slow Slack costs the lease one DM, not eight', async () => {
    const { runs, useCases, asked, answers } = slackSide();
    const campaignId = await lockOut1002(runs);

    await until(() => asked.length === OWNERS.length);
    expect(asked, 'the first owner gets the button, the seven others are told who has it').to.deep.equal([
      'grant:UOWN1',
      ...OWNERS.slice(1),
    ]);
    for (const answer of answers) answer(true);
    await runs.settled();
    const [item] = await useCases.lockoutCampaigns.items(campaignId);
    expect(item?.toldAt, 'recorded as told once every DM was taken').to.be.a('number');
  });

  it('records the phone as not told when one owner of eight did not get the DM', async () => {
    const { runs, useCases, asked, answers } = slackSide();
    const campaignId = await lockOut1002(runs);
    await until(() => asked.length === OWNERS.length);
    answers.forEach((answer, index) => answer(index !== 4));
    await runs.settled();
    const [item] = await useCases.lockoutCampaigns.items(campaignId);
    expect(item?.notTold, 'named in the summary as not told').to.equal('dm_failed');
  });
});
