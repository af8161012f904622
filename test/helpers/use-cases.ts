import { expect } from 'chai';
import { DomainError } from '../../src/domain/errors.js';
import type { PolicyConfig, Principal } from '../../src/domain/policy.js';
import type { SipResetRequest, SipResetResult, VendorClient } from '../../src/domain/ports.js';
import {
  buildUseCases,
  type UseCaseDeps,
  type UseCaseSettings,
  type UseCases,
} from '../../src/domain/use-cases/index.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { rejection } from './rejection.js';
import { T0 } from './requests.js';

/** The vendor in process: issues a new password per call, or fails with what a test queued. */
export class FakeVendor implements VendorClient {
  /** Every call, answered or not. */
  readonly calls: SipResetRequest[] = [];
  /** The passwords issued, by app/account. */
  readonly passwords = new Map<string, string>();
  /** What the next calls throw, first queued first. */
  readonly faults: unknown[] = [];

  async sipReset(request: SipResetRequest): Promise<SipResetResult> {
    this.calls.push(request);
    const fault = this.faults.shift();
    if (fault !== undefined) throw fault;
    const password = `Pw-${this.calls.length}-${request.account}`;
    this.passwords.set(`${request.appId}/${request.account}`, password);
    return { ...request, password };
  }
}

export const POLICY: PolicyConfig = {
  helpdesk: ['UHELP'],
  approvers: ['UAPP1', 'UAPP2', ...Array.from({ length: 20 }, (_, i) => `UA${i}`)],
  owners: { UOWNER: ['1002'] },
  protectedAccounts: ['9*'],
  protectedApprovals: 2,
};

/** The settings the use cases' tests run with: one voice application, a lock-out at 2 calls a second. */
export const SETTINGS: UseCaseSettings = {
  appIds: ['app1'],
  requestTtlMinutes: 60,
  grantTtlMinutes: 480,
  maxRequestsPerHour: 3,
  approvalsPossible: true,
  resetStaleAfterMs: 60_000,
  deliveryStaleAfterMs: 50_000,
  lockoutRatePerSecond: 2,
  lockoutGrantDays: 7,
  lockoutLeaseMs: 120_000,
};

/**
 * The use cases over `store` and `vendor`, under POLICY and SETTINGS unless told otherwise; every
 * person is who they say, in no user group.
 */
export function memoryUseCases(
  deps: Pick<UseCaseDeps, 'store' | 'vendor' | 'now'> &
    Partial<Pick<UseCaseDeps, 'policy' | 'sleep' | 'log' | 'onEvent'>> & {
      settings?: Partial<UseCaseSettings>;
    },
): UseCases {
  return buildUseCases({
    policy: POLICY,
    directory: { resolve: (userId: string): Promise<Principal> => Promise.resolve({ userId, groupIds: [] }) },
    ...deps,
    settings: { ...SETTINGS, ...deps.settings },
  });
}

/** The use cases over a store in memory and a fake vendor, on a clock the test moves. */
export interface DomainWorld extends UseCases {
  store: MemoryStore;
  vendor: FakeVendor;
  /** Each event as `type:status:actor`. */
  events: string[];
  clock: { now: number };
}

export function domainWorld(options: { approvalsPossible?: boolean; store?: MemoryStore } = {}): DomainWorld {
  const store = options.store ?? new MemoryStore();
  const vendor = new FakeVendor();
  const events: string[] = [];
  const clock = { now: T0 };
  const useCases = memoryUseCases({
    onEvent: ({ type, request, actor }) => events.push(`${type}:${request.status}:${actor}`),
    store,
    vendor,
    settings: { approvalsPossible: options.approvalsPossible ?? true },
    now: () => clock.now,
  });
  return { ...useCases, store, vendor, events, clock };
}

/** A reset form as typed. */
export const input = (account = '1001', reason = 'lost my phone') => ({ account, appId: 'app1', reason });

/** The code of the DomainError a promise rejects with (and that it is one). */
export async function domainCode(promise: Promise<unknown>): Promise<string> {
  const error = await rejection(promise);
  expect(error).to.be.instanceOf(DomainError);
  return (error as DomainError).code;
}
