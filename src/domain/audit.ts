import type { AuditType } from './lifecycle.js';

/**
 * One event to record, beside the change of state it belongs to: who (a user ID, or `system`) and
 * what. The store adds when, the request, its account and app. `detail` holds only bounded facts
 * (a delivery route, a failure code, a count): never a secret, never free text.
 */
export interface AuditNote {
  type: AuditType;
  actor: string;
  detail?: Record<string, string | number>;
}

/** A row of the audit trail as stored, chained to the one before it. */
export interface AuditRecord {
  seq: number;
  at: number;
  type: AuditType;
  actor: string;
  requestId: string | null;
  account: string | null;
  appId: string | null;
  /** `detail` as canonical JSON, or null. */
  detail: string | null;
  /** The hash of the row before (or the anchor, for the first row kept). */
  prevHash: string;
  /** SHA-256, hex, over prevHash and this row's canonical content. */
  hash: string;
}

/**
 * A point of the audit chain: a row's sequence and its hash, which vouches for every row before
 * it. Kept outside the database, it shows later whether the chain still holds that row.
 */
export interface AuditCheckpoint {
  seq: number;
  hash: string;
}

/** A checkpoint as people and tools pass it around: `SEQ:HASH`. */
export function checkpointText({ seq, hash }: AuditCheckpoint): string {
  return `${seq}:${hash}`;
}

/** A checkpoint read from `SEQ:HASH`, or undefined when the text is not one. */
export function parseCheckpoint(text: string): AuditCheckpoint | undefined {
  const match = /^(\d{1,15}):([0-9a-f]{64})$/.exec(text.trim());
  return match ? { seq: Number(match[1]), hash: match[2] as string } : undefined;
}
