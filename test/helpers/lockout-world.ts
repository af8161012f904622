import type { Logger } from '../../src/domain/logger.js';
import type { Principal } from '../../src/domain/policy.js';
import { buildUseCases, type UseCases } from '../../src/domain/use-cases/index.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { T0 } from './requests.js';
import { FakeVendor, POLICY } from './use-cases.js';

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
  const useCases = buildUseCases({
    store,
    vendor,
    policy: { ...POLICY, owners: { UOWNER: ['1002'], UPROT: ['9001'] } },
    directory: { resolve: (userId: string): Promise<Principal> => Promise.resolve({ userId, groupIds: [] }) },
    settings: {
      appIds: ['app1'],
      requestTtlMinutes: 60,
      grantTtlMinutes: 480,
      maxRequestsPerHour: 3,
      approvalsPossible: true,
      resetStaleAfterMs: 60_000,
      deliveryStaleAfterMs: 50_000,
      lockoutRatePerSecond: options.ratePerSecond ?? 2,
      lockoutGrantDays: 7,
      lockoutLeaseMs: 120_000,
    },
    now: () => clock.now,
    log: options.log,
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
