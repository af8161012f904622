import type { WebClient } from '@slack/web-api';
import type { LockoutCampaign, LockoutItem } from '../../src/domain/lockout.js';
import type { Logger } from '../../src/domain/logger.js';
import type { UseCases } from '../../src/domain/use-cases/index.js';
import { catalogueFor } from '../../src/i18n/index.js';
import { LockoutRuns, type LockoutRunDeps } from '../../src/slack/flows/lockout-run.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { captureLogger } from './logs.js';
import { T0 } from './requests.js';
import { FakeVendor, memoryUseCases, POLICY } from './use-cases.js';

/** The use cases over a memory store and a fake vendor, on a clock that only `sleep` (and the test) moves. */
export interface LockoutWorld extends UseCases {
  store: MemoryStore;
  vendor: FakeVendor;
  clock: { now: number };
  /** Every wait asked for, in ms: the pacing and the -15 waits, none of them real. */
  waits: number[];
  /** Runs before each wait ends: a test's Stop "while it waits". */
  onSleep?: () => Promise<void> | void;
}

/** A lock-out world at `ratePerSecond` (2, the default); `store` shared makes a second instance. */
export function lockoutWorld(
  options: {
    store?: MemoryStore;
    ratePerSecond?: number;
    clock?: { now: number };
    log?: Pick<Logger, 'warn' | 'error'>;
  } = {},
): LockoutWorld {
  const store = options.store ?? new MemoryStore();
  const vendor = new FakeVendor();
  const clock = options.clock ?? { now: T0 };
  const waits: number[] = [];
  const world = {} as LockoutWorld;
  const useCases = memoryUseCases({
    store,
    vendor,
    policy: { ...POLICY, owners: { UOWNER: ['1002'], UPROT: ['9001'] } },
    settings: { lockoutRatePerSecond: options.ratePerSecond ?? 2 },
    now: () => clock.now,
    ...(options.log ? { log: options.log } : {}),
    sleep: async (ms) => {
      waits.push(ms);
      clock.now += ms;
      await world.onSleep?.();
    },
  });
  return Object.assign(world, useCases, { store, vendor, clock, waits });
}

/** Phones of app1, as the form hands them over. */
export const phones = (...accounts: string[]) => accounts.map((account) => ({ account, appId: 'app1' }));

/**
 * A lock-out's Slack side (LockoutRuns) over `useCases`, in English, posting to #approvals, as
 * instance-a, on the real clock (sinon's, when a test fakes it): Slack is what the test hands in.
 */
export function lockoutRunsOver(
  useCases: UseCases,
  store: MemoryStore,
  slack: Pick<LockoutRunDeps, 'client' | 'messages' | 'notices'>,
): LockoutRuns {
  const en = catalogueFor('en');
  return new LockoutRuns({
    ...slack,
    useCases,
    refs: store.slackStore(),
    t: en,
    textsFor: () => Promise.resolve(en),
    approvalChannel: 'CAPPROVALS',
    appLabel: () => 'Head office',
    logger: captureLogger().logger,
    now: () => Date.now(),
    sleep: () => Promise.resolve(),
    leaseOwner: 'instance-a',
    counts: { lockoutStarted() {}, lockoutStopped() {}, lockoutEnded() {}, lockoutPhoneDone() {} },
  });
}

/** A lock-out as its agent prepared it (c1, three phones, by UHELP), with `over` changed. */
export const lockoutCampaign = (over: Partial<LockoutCampaign> = {}): LockoutCampaign => ({
  id: 'c1',
  agentId: 'UHELP',
  reason: 'leaked',
  wholeAppId: null,
  state: 'draft',
  count: 3,
  createdAt: T0,
  draftExpiresAt: T0 + 900_000,
  startedAt: null,
  stoppedAt: null,
  stoppedBy: null,
  endedAt: null,
  leaseOwner: null,
  leaseExpiresAt: null,
  updatedAt: T0,
  ...over,
});

/** The same, started by instance `a` at T0. */
export const runningLockout = (over: Partial<LockoutCampaign> = {}): LockoutCampaign =>
  lockoutCampaign({ state: 'running', startedAt: T0, leaseOwner: 'a', leaseExpiresAt: T0, ...over });

/** Phone `seq` of c1 (account 1000 + seq, app1), queued and untold, with `over` changed. */
export const lockoutItem = (seq: number, over: Partial<LockoutItem> = {}): LockoutItem => ({
  campaignId: 'c1',
  seq,
  account: String(1000 + seq),
  appId: 'app1',
  state: 'queued',
  failureCode: null,
  ownerId: null,
  ownerRequestId: null,
  withdrawnRequestId: null,
  toldAt: null,
  notTold: null,
  startedAt: null,
  finishedAt: null,
  ...over,
});

/** A Slack Web API that takes every post (each its own ts) and every update, the latter told to `onUpdate`. */
export function slackClientStub(onUpdate: (message: { text: string }) => void = () => {}): WebClient {
  let ts = 0;
  return {
    chat: {
      postMessage: (message: { channel: string }) => {
        ts += 1;
        return Promise.resolve({ ok: true, channel: message.channel, ts: `${ts}.000` });
      },
      update: (message: { text: string }) => {
        onUpdate(message);
        return Promise.resolve({ ok: true });
      },
    },
  } as unknown as WebClient;
}
