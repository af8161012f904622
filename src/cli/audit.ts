import 'dotenv/config';
import { parseArgs } from 'node:util';
import { ConfigError, databaseUrlFrom } from '../config/index.js';
import { checkpointText, parseCheckpoint, type AuditCheckpoint, type AuditRecord } from '../domain/audit.js';
import { SqlStore } from '../store/sql-store.js';
import { runAsScript, type CliIo } from './run-as-script.js';
import { errorMessage } from '../domain/errors.js';

const USAGE = [
  'usage: npm run audit -- verify [--from SEQ:HASH] [--expect SEQ:HASH]...',
  '       npm run audit -- head',
  '       npm run audit -- export --since 2026-01-01 [--until 2026-02-01] --format csv|json',
].join('\n');

const COLUMNS = [
  'seq',
  'at',
  'type',
  'actor',
  'requestId',
  'account',
  'appId',
  'detail',
  'prevHash',
  'hash',
] as const satisfies ReadonlyArray<keyof AuditRecord>;

/** A row as exported: its time in ISO 8601, everything else as stored. */
function exported(row: AuditRecord): Record<(typeof COLUMNS)[number], string | number | null> {
  return { ...row, at: new Date(row.at).toISOString() };
}

/**
 * What a spreadsheet would read as a formula: a cell that begins with `=`, `+`, `-` or `@`, or
 * with a tab or a carriage return (OWASP's CSV injection rule). Accounts and reasons are typed by
 * anyone, and an export is opened by an admin.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled. A field a
 * spreadsheet would evaluate is prefixed with a single quote, which makes it text, and quoted.
 */
function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  if (FORMULA_START.test(text)) return `"'${text.replaceAll('"', '""')}"`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A day (2026-01-01) or a moment (2026-01-01T12:00:00Z), as ms since the epoch. */
function parseDate(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const at = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
  if (Number.isNaN(at))
    throw new UsageError(`--${option} must be a date like 2026-01-01, not ${JSON.stringify(value)}`);
  return at;
}

class UsageError extends Error {}

/** `SEQ:HASH`, as `head` prints it and the app logs it. */
function checkpointOption(option: string, value: string): AuditCheckpoint {
  const checkpoint = parseCheckpoint(value);
  if (!checkpoint) {
    throw new UsageError(
      `--${option} must be a checkpoint SEQ:HASH (as \`npm run audit -- head\` prints it), not ${JSON.stringify(value)}`,
    );
  }
  return checkpoint;
}

/**
 * `verify`: checks the whole audit chain (or what was appended after `--from`), and that it still
 * holds each `--expect` checkpoint, exit 1 naming the first bad row. `head`: prints the chain's
 * checkpoint now, to keep outside the database. `export`: writes the
 * events of a time range to stdout as CSV or JSON. Returns the exit code.
 */
export async function runAuditCli(argv: readonly string[], io: CliIo): Promise<number> {
  let store: SqlStore | undefined;
  try {
    const { positionals, values } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        since: { type: 'string' },
        until: { type: 'string' },
        format: { type: 'string' },
        from: { type: 'string' },
        expect: { type: 'string', multiple: true },
      },
    });
    const [command, ...extra] = positionals;
    if (extra.length > 0 || (command !== 'verify' && command !== 'export' && command !== 'head')) {
      throw new UsageError(USAGE);
    }
    const from = values.from === undefined ? undefined : checkpointOption('from', values.from);
    const expect = (values.expect ?? []).map((value) => checkpointOption('expect', value));
    const range = { since: parseDate('since', values.since), until: parseDate('until', values.until) };
    const format = values.format ?? 'json';
    if (command === 'export' && format !== 'csv' && format !== 'json') {
      throw new UsageError('--format must be csv or json');
    }
    store = new SqlStore(databaseUrlFrom(io.env));
    // As the app does at start-up: a database it never ran on has an empty, valid chain.
    await store.migrate();
    if (command === 'head') {
      io.out(`${checkpointText(await store.auditHead())}\n`);
      return 0;
    }
    if (command === 'verify') {
      const verdict = await store.verifyAudit({ from, expect });
      if (verdict.ok) {
        const held = expect.length > 0 ? `, holding ${expect.length} checkpoint(s)` : '';
        const what = from ? `${verdict.rows} rows after row ${from.seq}` : `${verdict.rows} rows`;
        io.out(`audit chain verified: ${what}${held}\n`);
        return 0;
      }
      io.err(`audit chain broken at row ${verdict.seq ?? '?'}: ${verdict.problem}\n`);
      return 1;
    }
    if (format === 'csv') {
      io.out(`${COLUMNS.join(',')}\n`);
      for await (const row of store.auditRows(range)) {
        const fields = exported(row);
        io.out(`${COLUMNS.map((column) => csvField(fields[column])).join(',')}\n`);
      }
    } else {
      let first = true;
      io.out('[');
      for await (const row of store.auditRows(range)) {
        io.out(`${first ? '\n' : ',\n'}${JSON.stringify(exported(row))}`);
        first = false;
      }
      io.out(first ? ']\n' : '\n]\n');
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      io.err(`${error.message}\n`);
      return 2;
    }
    if ((error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      io.err(`${errorMessage(error)}\n${USAGE}\n`);
      return 2;
    }
    io.err(`audit failed: ${errorMessage(error)}\n`);
    return 1;
  } finally {
    await store?.close();
  }
}

await runAsScript(import.meta.url, (io) => runAuditCli(process.argv.slice(2), io));
