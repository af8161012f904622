import { newRecord, type NewRequest, type ResetRequest } from '../../src/domain/request.js';

/** The sandbox's first voice application ("Head office"), whose accounts 1001–1003 and 9000 its vendor knows. */
export const HEAD_OFFICE = '4luaKsL2';

export const T0 = Date.UTC(2026, 10, 29, 9, 0, 0);

/** A pending request of 1001 by UALICE, needing one approval, made at T0 and expiring an hour later. */
export function newRequest(overrides: Partial<NewRequest> = {}): NewRequest {
  return {
    id: `r-${Math.random().toString(36).slice(2)}`,
    requesterId: 'UALICE',
    account: '1001',
    appId: 'app1',
    reason: 'lost it',
    status: 'pending',
    requiredApprovals: 1,
    createdAt: T0,
    expiresAt: T0 + 3_600_000,
    ...overrides,
  };
}

/** The same, as the store would return it, with any field changed. */
export function storedRequest(overrides: Partial<ResetRequest> = {}): ResetRequest {
  return { ...newRecord(newRequest({ id: 'req-1' })), ...overrides };
}
