import { DomainError } from '../errors.js';
import type { RequestEvent, RequestEventType } from '../lifecycle.js';
import type { AuditNote } from '../audit.js';
import type { ResetRequest } from '../request.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** What every use case is given besides its own port: the clock, and who hears of each change. */
export interface UseCaseContext {
  now: () => number;
  /** Hears every change of state: the composition root counts, logs and posts them. */
  onEvent?: (event: RequestEvent) => void;
}

/** Tells whoever listens of a change of state, with who caused it. */
export function emit(
  context: UseCaseContext,
  type: RequestEventType,
  request: ResetRequest,
  actor: string,
): void {
  context.onEvent?.({ type, request, actor });
}

/** The request, or the refusal a person gets for one that does not exist. */
export async function mustGet(
  store: { getRequest(id: string): Promise<ResetRequest | undefined> },
  requestId: string,
): Promise<ResetRequest> {
  const request = await store.getRequest(requestId);
  if (!request) throw new DomainError('not_found');
  return request;
}

/** The audit note of a request the clock expired. */
export const SYSTEM_EXPIRY: AuditNote = { type: 'expired', actor: 'system' };
