import { errorMessage, VendorFailure } from './errors.js';
import type { Logger } from './logger.js';

/**
 * The phone directory: what ITNIO's sipQuery says of each phone, minus its password, kept in the
 * database so that the form can offer phones by name and refuse unknown ones before anyone approves.
 */

/** One phone as the directory keeps it. There is no password field, on purpose. */
export interface Phone {
  account: string;
  phoneName: string;
  groupName: string;
  displayNum: string;
}

/** One page of an application's phones, as the vendor client hands it over (passwords already gone). */
export interface PhonePage {
  total: number;
  pages: number;
  current: number;
  records: Phone[];
}

/** What the directory needs of the vendor: a page of phones, failing with a VendorFailure. */
export interface PhoneLister {
  sipQueryPage(appId: string, current: number, size: number): Promise<PhonePage>;
}

/** One application's directory: when it was last refreshed well, how many phones, the last failure. */
export interface DirectoryAppState {
  appId: string;
  phoneCount: number;
  /** When the last refresh that succeeded ended, ms since the epoch; undefined if none ever did. */
  refreshedAt?: number;
  /** When the last refresh failed, and why (a VendorFailureCode or `store_error`), if after the last success. */
  failedAt?: number;
  failureCode?: string;
}

/** Persistence of the directory. Never given a password: Phone has no field for one. */
export interface DirectoryStore {
  /** Replaces an application's phones with these, atomically, and records the refresh. */
  replacePhones(appId: string, phones: readonly Phone[], at: number): Promise<void>;
  /** Records a failed refresh of an application; its phones stay as they were. */
  recordRefreshFailure(appId: string, code: string, at: number): Promise<void>;
  states(): Promise<DirectoryAppState[]>;
  findPhone(appId: string, account: string): Promise<Phone | undefined>;
  /** The phones of these accounts in one application, those it lists. */
  findPhones(appId: string, accounts: readonly string[]): Promise<Phone[]>;
  /**
   * Phones of an application whose account, name or group contains `query` (case-insensitive),
   * those among `preferred` accounts first, then by account; at most `limit`.
   */
  searchPhones(appId: string, query: string, preferred: readonly string[], limit: number): Promise<Phone[]>;
  /**
   * Takes the refresh lease (compare-and-set): true for one holder at a time across instances, until
   * it expires at `at + leaseMs` or is given back.
   */
  claimRefreshLease(holder: string, at: number, leaseMs: number): Promise<boolean>;
  releaseRefreshLease(holder: string): Promise<void>;
}

export interface DirectorySettings {
  appIds: readonly string[];
  /** How often the directory is refreshed; a directory older than this is stale. */
  refreshIntervalMs: number;
  /** The records asked for per sipQuery page (the vendor's maximum is 100). */
  pageSize: number;
  /** The least time between two sipQuery calls: at most a few a second. */
  minCallIntervalMs: number;
  /** How long to wait after a `-15` "too frequent" before asking again, each time longer. */
  tooFrequentWaitsMs: readonly number[];
  /** How long a refresh may hold the lease before another instance may take it over. */
  leaseMs: number;
}

export const DEFAULT_DIRECTORY_SETTINGS: Omit<DirectorySettings, 'appIds' | 'refreshIntervalMs'> = {
  pageSize: 100,
  minCallIntervalMs: 350,
  tooFrequentWaitsMs: [2_000, 5_000, 15_000, 30_000],
  leaseMs: 10 * 60_000,
};

/** What a refresh did, per application. */
export interface RefreshResult {
  /** False when another instance held the lease, so this one did nothing. */
  ran: boolean;
  apps: Array<{ appId: string; phones?: number; failureCode?: string }>;
}

export interface DirectoryDeps {
  store: DirectoryStore;
  vendor: PhoneLister;
  settings: DirectorySettings;
  log: Pick<Logger, 'debug' | 'info' | 'warn'>;
  /** Who holds the lease: one name per process. */
  holder: string;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Hears each application's refresh: its phones, or its failure. */
  onRefresh?: (appId: string, outcome: { phones?: number; failureCode?: string }) => void;
}

/** How findPhones keys what it found: an application and an account. */
export const phoneKey = (appId: string, account: string): string => `${appId}\n${account}`;

/** Whether an account can be checked against the directory, and what it found. */
export type PhoneCheck =
  | { checked: true; phone: Phone }
  | { checked: true; phone: undefined }
  | { checked: false; phone?: undefined };

/** Refreshes the directory (one instance at a time) and answers questions from the database alone. */
export class PhoneDirectory {
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private lastCallAt = Number.NEGATIVE_INFINITY;
  private running: Promise<RefreshResult> | undefined;

  constructor(private readonly deps: DirectoryDeps) {
    this.now = deps.now ?? Date.now;
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  get settings(): DirectorySettings {
    return this.deps.settings;
  }

  /** True when some application was never refreshed well, or not within the refresh interval. */
  async isStale(): Promise<boolean> {
    const states = await this.deps.store.states();
    return this.deps.settings.appIds.some((appId) => !this.isFresh(states.find((s) => s.appId === appId)));
  }

  /** The directory's state per configured application (an application never refreshed has 0 phones). */
  async states(): Promise<DirectoryAppState[]> {
    const states = await this.deps.store.states();
    return this.deps.settings.appIds.map(
      (appId) => states.find((s) => s.appId === appId) ?? { appId, phoneCount: 0 },
    );
  }

  /**
   * Whether the account is in the application, when the directory can say: its last refresh succeeded
   * within the interval and failed none since. Otherwise unchecked.
   */
  async check(appId: string, account: string): Promise<PhoneCheck> {
    const state = (await this.deps.store.states()).find((s) => s.appId === appId);
    if (!this.isFresh(state)) return { checked: false };
    return { checked: true, phone: await this.deps.store.findPhone(appId, account) };
  }

  /** A phone's name and group, for context, whatever the directory's age. */
  findPhone(appId: string, account: string): Promise<Phone | undefined> {
    return this.deps.store.findPhone(appId, account);
  }

  /**
   * The phones of these (application, account) pairs that the directory lists, whatever its age,
   * by `phoneKey`: the names and groups shown beside accounts. One read per application.
   */
  async findPhones(keys: ReadonlyArray<{ appId: string; account: string }>): Promise<Map<string, Phone>> {
    const byApp = new Map<string, Set<string>>();
    for (const { appId, account } of keys) byApp.set(appId, (byApp.get(appId) ?? new Set()).add(account));
    const found = new Map<string, Phone>();
    for (const [appId, accounts] of byApp) {
      for (const phone of await this.deps.store.findPhones(appId, [...accounts]))
        found.set(phoneKey(appId, phone.account), phone);
    }
    return found;
  }

  /**
   * Every phone the directory lists for an application, whatever its age, by account: what "every
   * phone of voice application X" locks out.
   */
  async phonesOf(appId: string): Promise<Phone[]> {
    const state = (await this.deps.store.states()).find((s) => s.appId === appId);
    if (!state || state.phoneCount === 0) return [];
    // An empty query matches every phone; the count bounds the read.
    return this.deps.store.searchPhones(appId, '', [], state.phoneCount);
  }

  search(appId: string, query: string, preferred: readonly string[], limit: number): Promise<Phone[]> {
    return this.deps.store.searchPhones(appId, query, preferred, limit);
  }

  /** Refreshes every application, unless a refresh runs here already (then its result) or elsewhere. */
  refresh(): Promise<RefreshResult> {
    this.running ??= this.refreshOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private isFresh(state: DirectoryAppState | undefined): boolean {
    if (state?.refreshedAt === undefined) return false;
    if (state.failedAt !== undefined && state.failedAt >= state.refreshedAt) return false;
    return this.now() - state.refreshedAt < this.deps.settings.refreshIntervalMs;
  }

  private async refreshOnce(): Promise<RefreshResult> {
    const { store, settings, holder, log } = this.deps;
    if (!(await store.claimRefreshLease(holder, this.now(), settings.leaseMs))) {
      log.info('directory refresh skipped: another instance is refreshing', {});
      return { ran: false, apps: [] };
    }
    const apps: RefreshResult['apps'] = [];
    try {
      for (const appId of settings.appIds) {
        apps.push(await this.refreshApp(appId));
        // Renewed per application, so a long refresh keeps its lease.
        await store.claimRefreshLease(holder, this.now(), settings.leaseMs);
      }
    } finally {
      await store.releaseRefreshLease(holder).catch(() => undefined);
    }
    return { ran: true, apps };
  }

  private async refreshApp(appId: string): Promise<{ appId: string; phones?: number; failureCode?: string }> {
    const { store, log } = this.deps;
    const started = this.now();
    let phones: Phone[];
    try {
      phones = await this.readAll(appId);
    } catch (error) {
      const failureCode = error instanceof VendorFailure ? error.code : 'directory_error';
      log.warn('directory refresh failed; the last good directory is kept', {
        appId,
        failureCode,
        ...(error instanceof VendorFailure ? {} : { error: errorMessage(error) }),
      });
      await store.recordRefreshFailure(appId, failureCode, this.now()).catch(() => undefined);
      this.deps.onRefresh?.(appId, { failureCode });
      return { appId, failureCode };
    }
    try {
      await store.replacePhones(appId, phones, this.now());
    } catch (error) {
      log.warn('directory refresh failed; the last good directory is kept', {
        appId,
        failureCode: 'store_error',
        error: errorMessage(error),
      });
      this.deps.onRefresh?.(appId, { failureCode: 'store_error' });
      return { appId, failureCode: 'store_error' };
    }
    log.info('directory refreshed', { appId, phones: phones.length, durationMs: this.now() - started });
    this.deps.onRefresh?.(appId, { phones: phones.length });
    return { appId, phones: phones.length };
  }

  /** Every page of an application, paced; a `-15` waits and asks the same page again. */
  private async readAll(appId: string): Promise<Phone[]> {
    const { pageSize } = this.deps.settings;
    const byAccount = new Map<string, Phone>();
    let pages = 1;
    let total = 0;
    for (let current = 1; current <= pages; current += 1) {
      const page = await this.pageOf(appId, current, pageSize);
      this.deps.log.debug('directory page read', { appId, current, records: page.records.length });
      if (page.records.length === 0) break;
      // A vendor that pages by fewer records than asked still counts pages by what it sends: the
      // larger of its count and the count its first page implies, bounded so that no answer makes
      // the refresh endless.
      if (current === 1) {
        total = page.total;
        pages = Math.min(Math.max(page.pages, Math.ceil(total / page.records.length)), 10_000);
      }
      for (const phone of page.records) byAccount.set(phone.account, phone);
    }
    if (byAccount.size !== total) {
      this.deps.log.warn('directory read a different number of phones than the vendor counted', {
        appId,
        read: byAccount.size,
        total,
      });
    }
    return [...byAccount.values()];
  }

  private async pageOf(appId: string, current: number, size: number): Promise<PhonePage> {
    const waits = this.deps.settings.tooFrequentWaitsMs;
    for (let attempt = 0; ; attempt += 1) {
      await this.pace();
      try {
        return await this.deps.vendor.sipQueryPage(appId, current, size);
      } catch (error) {
        // A -15 is a rejection: nothing was read, so asking the same page again later is safe.
        const wait = waits[attempt];
        if (!(error instanceof VendorFailure && error.code === 'too_frequent') || wait === undefined)
          throw error;
        this.deps.log.info('directory page refused as too frequent; waiting to ask again', {
          appId,
          current,
          waitMs: wait,
        });
        await this.sleep(wait);
      }
    }
  }

  /** Waits until the least interval since the last call has passed. */
  private async pace(): Promise<void> {
    const wait = this.lastCallAt + this.deps.settings.minCallIntervalMs - this.now();
    if (wait > 0) await this.sleep(wait);
    this.lastCallAt = this.now();
  }
}
