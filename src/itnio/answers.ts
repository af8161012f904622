/**
 * The vendor's answers read: its status mapped to a result or an ItnioError through the code table,
 * and the sipQuery answers parsed so that no phone's password outlives the parse.
 */
import { checkAccount } from '../domain/account.js';
import type { Phone, PhonePage } from '../domain/directory.js';
import { ItnioError, VENDOR_STATUSES } from './failures.js';

/** How one kind of call's answer is read. */
export interface AnswerReading<T> {
  /** Reads the answer's text as JSON; sipQuery's keeps only the fields it reads, never a record. */
  parse(text: string): unknown;
  /** The result in a status-0 answer's `data`, or undefined when it is not what was expected. */
  read(data: unknown): T | undefined;
  /** Appended to what is said of an answer that could not be read. */
  unknownAdvice: string;
}

/** A result, or the vendor's refusal or an answer that could not be understood. */
export function readAnswer<T>(reading: AnswerReading<T>, text: string): { result?: T; error?: ItnioError } {
  const advice = reading.unknownAdvice;
  const badResponse = new ItnioError(
    'bad_response',
    'unknown',
    `ITNIO sent an answer that could not be understood.${advice}`,
  );
  let body: unknown;
  try {
    body = reading.parse(text);
  } catch {
    return { error: badResponse };
  }
  if (typeof body !== 'object' || body === null) return { error: badResponse };
  const { status, reason, data } = body as { status?: unknown; reason?: unknown; data?: unknown };
  if (typeof status !== 'string' && typeof status !== 'number') return { error: badResponse };
  const statusText = String(status).trim();
  const reasonText = typeof reason === 'string' ? reason : undefined;
  if (statusText === '0') {
    const result = reading.read(data);
    return result === undefined ? { error: badResponse } : { result };
  }
  const known = VENDOR_STATUSES[statusText];
  if (known) {
    const message = known.outcome === 'unknown' ? `${known.message}${advice}` : known.message;
    return { error: new ItnioError(known.code, known.outcome, message, statusText, reasonText) };
  }
  return {
    error: new ItnioError(
      'unknown_status',
      'unknown',
      `ITNIO answered with status ${statusText}${reasonText ? ` (${reasonText})` : ''}.${advice}`,
      statusText,
      reasonText,
    ),
  };
}

/**
 * Of a sipQuery answer's JSON, only what the client reads: `status`, `reason` and `data.total`, each
 * of the type it reads. An allowlist: the records hold each phone's password in plain text (see
 * ITNIO-API.md), and a field the vendor renames or adds must not carry one into an object the
 * client returns or logs.
 */
export function sipQueryAnswerOf(text: string): unknown {
  const answer: unknown = JSON.parse(text);
  if (typeof answer !== 'object' || answer === null) return undefined;
  const { status, reason, data } = answer as { status?: unknown; reason?: unknown; data?: unknown };
  const total = typeof data === 'object' && data !== null ? (data as { total?: unknown }).total : undefined;
  return {
    ...(typeof status === 'string' || typeof status === 'number' ? { status } : {}),
    ...(typeof reason === 'string' ? { reason } : {}),
    ...(typeof total === 'number' ? { data: { total } } : {}),
  };
}

/**
 * A sipQuery page's JSON, parsed so that no password outlives the parse: the reviver drops every
 * `password` member, at any depth, as it is read (before the record holding it is built), and of what
 * is left only the page's numbers and each record's four known text fields are kept. The answer's
 * text itself is the caller's local, never kept.
 */
export function sipQueryPageOf(text: string): unknown {
  const answer: unknown = JSON.parse(text, (key, value: unknown) =>
    key.toLowerCase() === 'password' ? undefined : value,
  );
  if (typeof answer !== 'object' || answer === null) return undefined;
  const { status, reason, data } = answer as { status?: unknown; reason?: unknown; data?: unknown };
  return {
    ...(typeof status === 'string' || typeof status === 'number' ? { status } : {}),
    ...(typeof reason === 'string' ? { reason } : {}),
    ...(typeof data === 'object' && data !== null ? { data: pageOf(data as Record<string, unknown>) } : {}),
  };
}

/** A page's numbers (numbers or numeric strings) and its records' known fields; undefined if unreadable. */
function pageOf(data: Record<string, unknown>): PhonePage | undefined {
  const number = (value: unknown): number | undefined => {
    const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
    return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
  };
  const total = number(data.total);
  const current = number(data.current);
  if (total === undefined || !Array.isArray(data.records)) return undefined;
  const records: Phone[] = [];
  for (const record of data.records as unknown[]) {
    if (typeof record !== 'object' || record === null) continue;
    const { account, phoneName, groupName, displayNum } = record as Record<string, unknown>;
    const text = (value: unknown) =>
      typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
    const phone = {
      account: text(account),
      phoneName: text(phoneName),
      groupName: text(groupName),
      displayNum: text(displayNum),
    };
    if (checkAccount(phone.account) === undefined) records.push(phone);
  }
  return { total, pages: number(data.pages) ?? 0, current: current ?? 0, records };
}
