import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signRequest } from '../src/itnio/signing.js';

/** A scripted departure from the normal answer, used once, in order. */
export type VendorFault =
  | { kind: 'status'; status: string | number; reason?: string }
  | { kind: 'http'; code: number }
  | { kind: 'redirect'; code: 301 | 302 | 303 | 307 | 308; location: string }
  | { kind: 'garbage' }
  | { kind: 'reset' }
  | { kind: 'hang' }
  /** Answers normally, once released (see `hold()`). */
  | { kind: 'held'; arrive: () => void; released: Promise<void> };

/** A vendor answer held back: `arrived` settles when the request is in, `release()` lets it answer. */
export interface Hold {
  arrived: Promise<void>;
  release(): void;
}

export interface VendorCall {
  account: string;
  appId: string;
  /** The status the stand-in answered with, or the fault it played. */
  answered: string;
}

/** One sipQuery: the page asked for, and what the stand-in answered. */
export interface VendorQuery {
  appId: string;
  current: number;
  size: number;
  answered: string;
}

export interface ItnioStubOptions {
  apiKey: string;
  apiSecret: string;
  /** appId -> the SIP accounts that exist in that application. */
  accounts: Record<string, string[]>;
  /** The stand-in's own clock, in ms; a test skews it to provoke -16. */
  now?: () => number;
  /** How far a request's Timestamp may be from the stand-in's clock, in seconds. */
  windowSeconds?: number;
  /** Answer status as a number, as one of the vendor's own samples does. */
  numericStatus?: boolean;
  /** How long each call takes before it is answered, in ms, as the real vendor's round trip does. */
  latencyMs?: number;
  /**
   * appId -> its phones as sipQuery lists them, each with its name, group and current password;
   * without it, each account of `accounts` is listed as "Phone <account>" in group Default.
   */
  phones?: Record<string, StubPhone[]>;
  /** Answers `-15` "too frequent" to a sipQuery past this many in one second of the stand-in's clock. */
  queriesPerSecond?: number;
  /** Pages oddly: at most this many records a page, whatever the size asked, counted as such. */
  pageCap?: number;
  /** Pages oddly: total, size, current and pages as strings of digits. */
  pageNumbersAsText?: boolean;
}

/** A phone of the stand-in's directory. */
export interface StubPhone {
  account: string;
  phoneName: string;
  groupName: string;
  displayNum?: string;
  password: string;
}

/**
 * A local stand-in for ITNIO's `sipReset` and `sipQuery`, checking every request as the vendor would
 * (method, path, content type, key, signature, timestamp window, parameters), issuing a fresh
 * password per reset and answering a query with pages of phones, each with its password in plain
 * text, as the vendor does.
 */
export class ItnioStub {
  /** The sipReset calls. */
  readonly calls: VendorCall[] = [];
  /** The sipQuery calls, counted apart: a query changes nothing. */
  readonly queries: VendorQuery[] = [];
  /** How long each answered sipReset call took, from its request read to its answer written, in ms, by account. */
  readonly servedMs = new Map<string, number[]>();
  private readonly arrivals = new WeakMap<ServerResponse, number>();
  /** The current password of each `appId/account`, as the vendor would hold it. */
  readonly passwords = new Map<string, string>();
  /** Every password ever issued, oldest first. */
  readonly issued: string[] = [];
  /** Every password a sipQuery answer held, oldest first. */
  readonly disclosed: string[] = [];
  /**
   * Played once each, in order, by the next calls of either endpoint, or of the one a fault names
   * (an app keeping a phone directory queries at start-up and on a timer, amid a test's resets).
   */
  readonly faults: Array<VendorFault & { endpoint?: 'sipReset' | 'sipQuery' }> = [];
  /**
   * Run once each, in order, while a successful reset is on its way (the new password exists, the
   * answer is not sent yet): a test's fault in the middle of the vendor call.
   */
  readonly duringReset: Array<() => unknown> = [];
  /** Told of each sipReset or sipQuery as it is recorded (the playground's side panel shows them live). */
  onCall: (() => void) | undefined;
  private readonly server: Server;
  private readonly hanging = new Set<ServerResponse>();
  private readonly now: () => number;
  private queriesThisSecond = { second: -1, count: 0 };

  constructor(private readonly options: ItnioStubOptions) {
    this.now = options.now ?? Date.now;
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
  }

  async start(port = 0): Promise<string> {
    this.server.listen(port, '127.0.0.1');
    await once(this.server, 'listening');
    return this.baseUrl;
  }

  get baseUrl(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * Holds the next call's answer until the test releases it: a reset in flight for exactly as long
   * as the test needs, with no sleep.
   */
  hold(endpoint?: 'sipReset' | 'sipQuery'): Hold {
    let arrive = () => {};
    let release = () => {};
    const arrived = new Promise<void>((resolve) => (arrive = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.faults.push({ kind: 'held', arrive, released, endpoint });
    return { arrived, release };
  }

  /** Calls that reached the point where the vendor would act (signature and parameters checked). */
  get resets(): VendorCall[] {
    return this.calls.filter((call) => call.answered === '0');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    this.arrivals.set(res, performance.now());
    if (this.options.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    res.setHeader('Date', new Date(this.now()).toUTCString());

    const endpoint = req.url === '/sipReset' || req.url === '/sipQuery' ? req.url.slice(1) : undefined;
    if (req.method !== 'POST' || !endpoint) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    let body: Record<string, unknown> = {};
    let problem = this.requestProblem(req);
    if (!problem) {
      try {
        body = (JSON.parse(raw) as Record<string, unknown> | null) ?? {};
      } catch {
        problem = { status: '-22', reason: 'body is not JSON' };
      }
    }
    if (endpoint === 'sipQuery') await this.query(body, problem, res);
    else await this.reset(body, problem, res);
  }

  /** What the vendor checks of every request before its parameters: content type, key, signature, time. */
  private requestProblem(req: IncomingMessage): { status: string; reason: string } | undefined {
    const contentType = (req.headers['content-type'] ?? '').toLowerCase().replace(/\s/g, '');
    if (contentType !== 'application/json;charset=utf-8') {
      return { status: '-22', reason: 'content type must be application/json;charset=UTF-8' };
    }
    const apiKey = header(req, 'api-key');
    const timestamp = header(req, 'timestamp');
    const sign = header(req, 'sign').toLowerCase();
    if (apiKey !== this.options.apiKey || sign !== signRequest(apiKey, this.options.apiSecret, timestamp)) {
      return { status: '-1', reason: 'account authentication error' };
    }
    const window = this.options.windowSeconds ?? 60;
    if (!/^\d+$/.test(timestamp) || Math.abs(Number(timestamp) - Math.floor(this.now() / 1000)) > window) {
      return { status: '-16', reason: 'timestamp expired' };
    }
    return undefined;
  }

  private async reset(
    body: Record<string, unknown>,
    problem: { status: string; reason: string } | undefined,
    res: ServerResponse,
  ): Promise<void> {
    const account = typeof body.account === 'string' ? body.account : '';
    const appId = typeof body.appId === 'string' ? body.appId : '';
    const record = (answered: string): void => {
      this.calls.push({ account, appId, answered });
      this.onCall?.();
      const arrived = this.arrivals.get(res);
      if (arrived !== undefined)
        this.servedMs.set(account, [...(this.servedMs.get(account) ?? []), performance.now() - arrived]);
    };
    if (problem) {
      this.answer(res, record, problem.status, problem.reason);
      return;
    }
    if (account.length < 4 || account.length > 32 || !appId) {
      this.answer(res, record, '-22', 'parameter error');
      return;
    }
    if (await this.faulted(res, record, 'sipReset')) return;
    if (!this.options.accounts[appId]?.includes(account)) {
      this.answer(res, record, '-24', 'data does not exist');
      return;
    }
    const password = randomBytes(6).toString('base64url');
    this.passwords.set(`${appId}/${account}`, password);
    this.issued.push(password);
    await this.duringReset.shift()?.();
    this.answer(res, record, '0', 'success', { account, password });
  }

  /**
   * A page of an application's phones, each record with its password in plain text, as ITNIO's
   * sipQuery answers (ITNIO-API.md); an application the key cannot see is refused with -32.
   */
  private async query(
    body: Record<string, unknown>,
    problem: { status: string; reason: string } | undefined,
    res: ServerResponse,
  ): Promise<void> {
    const { current, size } = body;
    const params = body.params as { appId?: unknown } | undefined;
    const appId = typeof params?.appId === 'string' ? params.appId : '';
    const page = { current: Number(current), size: Number(size) };
    const record = (answered: string) => {
      this.queries.push({ appId, ...page, answered });
      this.onCall?.();
    };
    if (problem) {
      this.answer(res, record, problem.status, problem.reason);
      return;
    }
    if (
      !appId ||
      !Number.isInteger(current) ||
      page.current < 1 ||
      !Number.isInteger(size) ||
      page.size < 1 ||
      page.size > 100
    ) {
      this.answer(res, record, '-22', 'parameter error');
      return;
    }
    if (await this.faulted(res, record, 'sipQuery')) return;
    if (this.tooFrequent()) {
      this.answer(res, record, '-15', 'too frequent');
      return;
    }
    const phones = this.options.phones?.[appId];
    const accounts = this.options.accounts[appId];
    if (!phones && !accounts) {
      this.answer(res, record, '-32', 'no permission for this application');
      return;
    }
    const served = Math.min(page.size, this.options.pageCap ?? page.size);
    const listed = (phones ?? accounts ?? []).slice((page.current - 1) * served, page.current * served);
    const records = listed.map((entry) => {
      const phone =
        typeof entry === 'string'
          ? {
              groupName: 'Default',
              phoneName: `Phone ${entry}`,
              account: entry,
              password: this.passwordOf(appId, entry),
              displayNum: entry,
            }
          : {
              groupName: entry.groupName,
              phoneName: entry.phoneName,
              account: entry.account,
              password: entry.password,
              displayNum: entry.displayNum ?? entry.account,
            };
      this.disclosed.push(phone.password);
      return phone;
    });
    const total = (phones ?? accounts ?? []).length;
    const numbers = { total, size: served, current: page.current, pages: Math.ceil(total / served) };
    const asText = this.options.pageNumbersAsText;
    this.answer(res, record, '0', 'success', {
      ...(asText ? Object.fromEntries(Object.entries(numbers).map(([k, v]) => [k, String(v)])) : numbers),
      records,
    });
  }

  /** Counts a sipQuery against the per-second limit, if one is set; true when it is over. */
  private tooFrequent(): boolean {
    const limit = this.options.queriesPerSecond;
    if (limit === undefined) return false;
    const second = Math.floor(this.now() / 1000);
    if (this.queriesThisSecond.second !== second) this.queriesThisSecond = { second, count: 0 };
    this.queriesThisSecond.count += 1;
    return this.queriesThisSecond.count > limit;
  }

  /** A phone's current password: the one its last reset issued, or one it was set up with. */
  private passwordOf(appId: string, account: string): string {
    const key = `${appId}/${account}`;
    const known = this.passwords.get(key);
    if (known) return known;
    const password = randomBytes(6).toString('base64url');
    this.passwords.set(key, password);
    return password;
  }

  /** Plays the next scripted fault, if any; true when it has answered (or dropped) the request. */
  private async faulted(
    res: ServerResponse,
    record: (answered: string) => void,
    endpoint: 'sipReset' | 'sipQuery',
  ): Promise<boolean> {
    const index = this.faults.findIndex((f) => f.endpoint === undefined || f.endpoint === endpoint);
    const fault = index < 0 ? undefined : this.faults.splice(index, 1)[0];
    if (fault?.kind === 'held') {
      fault.arrive();
      await fault.released;
      return false;
    }
    if (!fault) return false;
    this.play(fault, res, record);
    return true;
  }

  private play(
    fault: Exclude<VendorFault, { kind: 'held' }>,
    res: ServerResponse,
    record: (answered: string) => void,
  ): void {
    switch (fault.kind) {
      case 'status':
        this.answer(res, record, String(fault.status), fault.reason ?? 'scripted', undefined, fault.status);
        return;
      case 'http':
        record(`http ${fault.code}`);
        res.writeHead(fault.code, { 'Content-Type': 'text/html' }).end('<html>Internal Server Error</html>');
        return;
      case 'redirect':
        record(`redirect ${fault.code}`);
        res.writeHead(fault.code, { Location: fault.location }).end();
        return;
      case 'garbage':
        record('garbage');
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status": "0", "data": {');
        return;
      case 'reset':
        record('reset');
        res.socket?.destroy();
        return;
      case 'hang':
        record('hang');
        this.hanging.add(res);
        return;
    }
  }

  private answer(
    res: ServerResponse,
    record: (answered: string) => void,
    status: string,
    reason: string,
    data?: Record<string, unknown>,
    rawStatus?: string | number,
  ): void {
    record(status);
    const statusValue = rawStatus ?? (this.options.numericStatus ? Number(status) : status);
    res
      .writeHead(200, { 'Content-Type': 'application/json;charset=UTF-8' })
      .end(JSON.stringify({ status: statusValue, reason, ...(data ? { data } : {}) }));
  }
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}
