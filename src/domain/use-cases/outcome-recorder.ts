import { setTimeout as delay } from 'node:timers/promises';
import type { RequestEventType } from '../lifecycle.js';
import type { Logger } from '../logger.js';
import type { ResetRequest } from '../request.js';
import { errorMessage } from '../errors.js';
import { emit, type UseCaseContext } from './shared.js';

/** About 16 s of attempts: longer than a busy database or a PostgreSQL restart usually takes. */
export const RECORD_RETRY_DELAYS_MS = [250, 500, 1_000, 2_000, 4_000, 8_000];

export interface OutcomeRecorderDeps extends UseCaseContext {
  log?: Pick<Logger, 'warn' | 'error'>;
  /**
   * Waits between attempts to record a reset's outcome once the vendor has answered: the reset
   * cannot be undone, so a database that is locked or restarting must not lose it. After the last,
   * the next sweeps keep trying.
   */
  retryDelaysMs?: readonly number[];
  /** Waits between recording attempts; tests pass one that does not wait. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Stores the outcome of a reset the vendor has answered, which cannot be undone: retried with
 * backoff while the database fails, then held for the sweeps (upkeep) to keep trying. Shared by the
 * reset, which records, and the upkeep, which retries and leaves alone what is held here.
 */
export class OutcomeRecorder {
  private readonly sleep: (ms: number) => Promise<void>;
  /** Outcomes the vendor gave that the database has not taken yet, by request ID. */
  private readonly unrecorded = new Map<string, () => Promise<ResetRequest | undefined>>();

  constructor(private readonly deps: OutcomeRecorderDeps) {
    this.sleep = deps.sleep ?? ((ms) => delay(ms));
  }

  /**
   * Writes `outcome` with `write` (a compare-and-set), retrying while the database fails; past the
   * last attempt it is held for the sweeps, and the request is not taken for an interrupted one
   * meanwhile. Never rejects: returns the stored request, or `outcome` as it is being recorded.
   */
  async record(
    outcome: ResetRequest,
    actor: string,
    write: () => Promise<ResetRequest | undefined>,
  ): Promise<ResetRequest> {
    const delays = this.deps.retryDelaysMs ?? RECORD_RETRY_DELAYS_MS;
    for (let attempt = 0; ; attempt += 1) {
      try {
        const stored = await write();
        this.unrecorded.delete(outcome.id);
        if (stored) emit(this.deps, outcome.status as RequestEventType, stored, actor);
        return stored ?? outcome;
      } catch (error) {
        const wait = delays[attempt];
        const meta = {
          requestId: outcome.id,
          status: outcome.status,
          attempt: attempt + 1,
          error: errorMessage(error),
        };
        if (wait === undefined) {
          this.deps.log?.error('could not record a reset outcome; the sweep will keep trying', meta);
          this.unrecorded.set(outcome.id, write);
          return outcome;
        }
        this.deps.log?.warn('could not record a reset outcome; trying again', meta);
        await this.sleep(wait);
      }
    }
  }

  /** Tries once more to store each outcome held, as the system; those the database takes are let go. */
  async retryHeld(): Promise<void> {
    for (const [id, write] of [...this.unrecorded]) {
      const stored = await write().catch(() => undefined);
      if (stored) {
        this.unrecorded.delete(id);
        emit(this.deps, stored.status as RequestEventType, stored, 'system');
      }
    }
  }

  /** Whether this process holds the outcome of this request, not yet stored. */
  holds(requestId: string): boolean {
    return this.unrecorded.has(requestId);
  }
}
