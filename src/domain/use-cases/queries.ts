import type { AuditRecord } from '../audit.js';
import { isOpen } from '../lifecycle.js';
import { isListed, mayDecide, type PolicyConfig } from '../policy.js';
import type { PageKey, PrincipalResolver, RequestLookup } from '../ports.js';
import type { Approval, ResetRequest } from '../request.js';

/** What the queries need of the store. */
export interface QueryStore extends RequestLookup {
  listApprovals(id: string): Promise<Approval[]>;
  /** A person's requests, newest first: `limit` of them, after `after` when given. */
  listByRequester(requesterId: string, limit: number, after?: PageKey): Promise<ResetRequest[]>;
  /** Pending requests, the first to expire first. */
  listPending(limit: number, after?: PageKey): Promise<ResetRequest[]>;
  /** Requests an approver decided (the last approval, or a denial), the latest decision first. */
  listDecided(limit: number, after?: PageKey): Promise<ResetRequest[]>;
  /** Requests whose reset ran to an end (completed, failed, outcome unknown), the latest first. */
  listFinished(limit: number, after?: PageKey): Promise<ResetRequest[]>;
  /** The latest audit events of an account, newest first. */
  auditOf(account: string, limit: number): Promise<AuditRecord[]>;
}

export interface QueryDeps {
  store: QueryStore;
  policy: PolicyConfig;
  directory: PrincipalResolver;
}

/**
 * Which part of a list to show: `limit` items after the item `after` names (from the first without
 * it); `position` is how many come before them, for the range a person reads.
 */
export interface PageQuery {
  after?: PageKey;
  position: number;
  limit: number;
}

/** A part of a list, how many come before it, and where the next part starts when more follow it. */
export interface Page<T> {
  items: T[];
  position: number;
  more: boolean;
  next?: PageKey;
}

export type HomeSection = 'mine' | 'queue' | 'decisions' | 'resets';

/** What a person's App Home shows: what their roles let them see, each list a page at a time. */
export interface HomeContents {
  viewerId: string;
  /** Their own requests, newest first. */
  mine: Page<ResetRequest>;
  /** For those who decide (approvers, helpdesk agents): the pending requests, the first to expire first. */
  queue?: Page<{ request: ResetRequest; approvals: Approval[] }>;
  /** For those who decide: the latest decisions, by anyone. */
  decisions?: Page<ResetRequest>;
  /** For helpdesk agents: the latest resets, by anyone. */
  resets?: Page<ResetRequest>;
}

/**
 * The read side: what people are shown of requests (a request, its approvals, someone's open ones,
 * an account's history, the App Home), each within what their roles let them see.
 */
export class Queries {
  constructor(private readonly deps: QueryDeps) {}

  get(requestId: string): Promise<ResetRequest | undefined> {
    return this.deps.store.getRequest(requestId);
  }

  approvals(requestId: string): Promise<Approval[]> {
    return this.deps.store.listApprovals(requestId);
  }

  /**
   * A person's open requests, newest first. Among their latest 100: the per-hour limit and the
   * request and grant lifetimes keep anyone's open ones far more recent than that.
   */
  async openRequestsOf(requesterId: string): Promise<ResetRequest[]> {
    const latest = await this.deps.store.listByRequester(requesterId, 100);
    return latest.filter((request) => isOpen(request.status));
  }

  /**
   * The latest audit events of an account, newest first, for a helpdesk agent; undefined for
   * anyone else, who may not see who reset what.
   */
  async history(userId: string, account: string, limit: number): Promise<AuditRecord[] | undefined> {
    const viewer = await this.deps.directory.resolve(userId);
    if (!isListed(viewer, this.deps.policy.helpdesk)) return undefined;
    return this.deps.store.auditOf(account, limit);
  }

  /** What a person's App Home shows, each list the page asked for; the roles are checked here. */
  async home(userId: string, pages: Record<HomeSection, PageQuery>): Promise<HomeContents> {
    const viewer = await this.deps.directory.resolve(userId);
    const { store, policy } = this.deps;
    const decides = mayDecide(viewer, policy);
    const helpdesk = isListed(viewer, policy.helpdesk);
    // Read side by side: on PostgreSQL each list is a round trip of its own.
    const [mine, pending, decisions, resets] = await Promise.all([
      pageOf(
        pages.mine,
        (limit, after) => store.listByRequester(userId, limit, after),
        (r) => r.createdAt,
      ),
      decides
        ? pageOf(
            pages.queue,
            (limit, after) => store.listPending(limit, after),
            (r) => r.createdAt,
          )
        : undefined,
      decides
        ? pageOf(
            pages.decisions,
            (limit, after) => store.listDecided(limit, after),
            (r) => r.decidedAt,
          )
        : undefined,
      helpdesk
        ? pageOf(
            pages.resets,
            (limit, after) => store.listFinished(limit, after),
            (r) => r.finishedAt,
          )
        : undefined,
    ]);
    const contents: HomeContents = { viewerId: userId, mine };
    if (pending) {
      const items = await Promise.all(
        pending.items.map(async (request) => ({ request, approvals: await store.listApprovals(request.id) })),
      );
      contents.queue = { ...pending, items };
    }
    if (decisions) contents.decisions = decisions;
    if (resets) contents.resets = resets;
    return contents;
  }
}

/** The page a query asks for of a list, read one longer than shown to know whether more follow. */
async function pageOf(
  query: PageQuery,
  list: (limit: number, after?: PageKey) => Promise<ResetRequest[]>,
  keyOf: (request: ResetRequest) => number | null,
): Promise<Page<ResetRequest>> {
  // One more than shown tells whether there is a next page, without counting them all.
  const found = await list(query.limit + 1, query.after);
  const items = found.slice(0, query.limit);
  const last = items.at(-1);
  const more = found.length > query.limit && last !== undefined;
  const next = more ? { at: keyOf(last) ?? 0, id: last.id } : undefined;
  return { items, position: query.position, more, ...(next ? { next } : {}) };
}
