import { createHash } from 'node:crypto';
import { checkpointText, type AuditCheckpoint, type AuditNote, type AuditRecord } from '../domain/audit.js';
import type { ResetRequest } from '../domain/request.js';

/** The hash before the first row ever written. */
export const GENESIS_HASH = '0'.repeat(64);

/** A row's content in one fixed order, so the same row always hashes the same. */
function canonical(row: Omit<AuditRecord, 'prevHash' | 'hash'>): string {
  return JSON.stringify([
    row.seq,
    row.at,
    row.type,
    row.actor,
    row.requestId,
    row.account,
    row.appId,
    row.detail,
  ]);
}

export function chainHash(prevHash: string, row: Omit<AuditRecord, 'prevHash' | 'hash'>): string {
  return createHash('sha256')
    .update(`${prevHash}\n${canonical(row)}`)
    .digest('hex');
}

/**
 * What an audit event is about: a request (its ID, account and app), or a lock-out's phone (no
 * request: its account and app) or the lock-out itself (none of them; its ID in the detail).
 */
export type AuditSubject = Omit<Pick<ResetRequest, 'id' | 'account' | 'appId'>, 'id'> & { id: string | null };

/** An audit event waiting for its place in the chain: the request it is about, what happened, when. */
export interface QueuedAudit {
  subject: AuditSubject;
  note: AuditNote;
  at: number;
}

/**
 * The queued events as the chain's next rows after `head`, in order: each with its sequence and
 * its hash over the one before. The SQL and in-memory stores both append what this gives.
 */
export function chained(head: { seq: number; hash: string }, queued: readonly QueuedAudit[]): AuditRecord[] {
  let prevHash = head.hash;
  return queued.map(({ subject, note, at }, i) => {
    const content = {
      seq: head.seq + 1 + i,
      at,
      type: note.type,
      actor: note.actor,
      requestId: subject.id,
      account: subject.account || null,
      appId: subject.appId || null,
      detail: canonicalDetail(note.detail),
    };
    const record = { ...content, prevHash, hash: chainHash(prevHash, content) };
    prevHash = record.hash;
    return record;
  });
}

/** `detail` as JSON with its keys sorted, or null when there is none. */
export function canonicalDetail(detail: Record<string, string | number> | undefined): string | null {
  if (!detail || Object.keys(detail).length === 0) return null;
  return JSON.stringify(Object.fromEntries(Object.entries(detail).sort(([a], [b]) => (a < b ? -1 : 1))));
}

/** Where the chain starts (after pruning, the last pruned row) and where it ends now. */
export interface ChainHead {
  anchorSeq: number;
  anchorHash: string;
  seq: number;
  hash: string;
}

export type Verdict = { ok: true; rows: number } | { ok: false; seq: number | undefined; problem: string };

/**
 * Checks rows in order of seq, from the anchor to the head: each must follow the one before (no gap:
 * a deleted row), name its hash (a reordered row) and hash to what it holds (an edited row).
 */
export class ChainVerifier {
  private expectedSeq: number;
  private prevHash: string;
  private rows = 0;
  private failure: Verdict | undefined;

  constructor(private readonly head: ChainHead) {
    this.expectedSeq = head.anchorSeq + 1;
    this.prevHash = head.anchorHash;
  }

  /** False once a bad row is found: the rest need not be read. */
  check(row: AuditRecord): boolean {
    if (this.failure) return false;
    const { prevHash, hash, ...content } = row;
    if (row.seq !== this.expectedSeq) {
      this.failure = {
        ok: false,
        seq: row.seq,
        problem: `row ${row.seq} follows row ${this.expectedSeq - 1}: ${row.seq > this.expectedSeq ? 'rows are missing before it' : 'it is out of order'}`,
      };
    } else if (prevHash !== this.prevHash) {
      this.failure = {
        ok: false,
        seq: row.seq,
        problem: `row ${row.seq} does not name the hash of the row before it: a row was removed, replaced or moved`,
      };
    } else if (chainHash(prevHash, content) !== hash) {
      this.failure = { ok: false, seq: row.seq, problem: `row ${row.seq} was changed after it was written` };
    } else {
      this.expectedSeq += 1;
      this.prevHash = hash;
      this.rows += 1;
      return true;
    }
    return false;
  }

  verdict(): Verdict {
    if (this.failure) return this.failure;
    const last = this.expectedSeq - 1;
    if (last !== this.head.seq || this.prevHash !== this.head.hash) {
      return {
        ok: false,
        seq: last + 1,
        problem:
          last < this.head.seq
            ? `the chain ends at row ${last} but ${this.head.seq} rows were written: the last rows were removed`
            : `the chain's head does not match its last row ${last}`,
      };
    }
    return { ok: true, rows: this.rows };
  }
}

/** A checkpoint the chain's rows no longer reached: the chain was rewritten from it on. */
export function rewritten(checkpoint: AuditCheckpoint): Verdict {
  return {
    ok: false,
    seq: checkpoint.seq,
    problem: `row ${checkpoint.seq} is not the row checkpoint ${checkpointText(checkpoint)} saw: the chain was rewritten from there on`,
  };
}

/**
 * Whether the chain, from its anchor to its head, still spans a checkpoint it once held: a head
 * moved back below it (its last rows removed) or an anchor moved past it (its first rows removed)
 * says so; undefined when it spans it (its rows are then compared by the caller).
 */
export function outsideChain(head: ChainHead, checkpoint: AuditCheckpoint): Verdict | undefined {
  if (checkpoint.seq > head.seq) {
    return {
      ok: false,
      seq: head.seq + 1,
      problem: `the chain ends at row ${head.seq}, but it held row ${checkpoint.seq} once: its last rows were removed and its head moved back`,
    };
  }
  if (checkpoint.seq < head.anchorSeq) {
    return {
      ok: false,
      seq: checkpoint.seq,
      problem: `the chain starts after row ${head.anchorSeq}, but it held row ${checkpoint.seq} once: the rows up to ${head.anchorSeq} were removed, by pruning (SIP_RESET_AUDIT_RETENTION_DAYS) or by hand; a checkpoint older than the retention cannot be checked`,
    };
  }
  if (checkpoint.seq === head.anchorSeq && checkpoint.hash !== head.anchorHash) return rewritten(checkpoint);
  return undefined;
}
