import type { WebClient } from '@slack/web-api';
import { isProtected, mayDecide, type PolicyConfig } from '../../domain/policy.js';
import type { PrincipalResolver } from '../../domain/ports.js';
import type { ResetRequest } from '../../domain/request.js';
import type { HomeContents, HomeSection, PageQuery, Queries } from '../../domain/use-cases/queries.js';
import type { PhoneDirectory } from '../../domain/directory.js';
import type { Texts } from '../../i18n/index.js';
import type { Logger } from '../../domain/logger.js';
import { FIRST_PAGES, HOME_PAGE_SIZE, homeView, type HomePaging } from '../blocks/home-view.js';
import { phonesOf } from '../platform/phone-context.js';
import type { HomeViewerStore } from '../platform/slack-store.js';
import { slackError } from '../platform/web-api-errors.js';

/** Every request a Home shows. */
function requestsIn(contents: HomeContents): ResetRequest[] {
  return [
    ...contents.mine.items,
    ...(contents.queue?.items ?? []).map((item) => item.request),
    ...(contents.decisions?.items ?? []),
    ...(contents.resets?.items ?? []),
  ];
}

/**
 * Whose Home tab is republished when a request changes: among those who opened it within this time
 * (the latest `scan` of them), the ones who see the request, at most `max` of them besides its
 * requester. Slack sends app_home_opened each time the tab is opened, so a Home in use stays current;
 * one not opened for a day is brought up to date the next time it is. The cap bounds the calls one
 * change can cost against views.publish's rate limit (Tier 4, 100+ a minute); it is applied after
 * the filter, so the approvers' Homes stay current however many others open theirs.
 */
export const HOME_VIEWERS = { withinMs: 24 * 60 * 60_000, scan: 5_000, max: 50 } as const;

/** How many people's paging an instance remembers: a few hundred bytes each. */
export const HOME_PAGINGS_MAX = 10_000;

const pagesAt = (paging: HomePaging): Record<HomeSection, PageQuery> => ({
  mine: { ...paging.mine, limit: HOME_PAGE_SIZE.mine },
  queue: { ...paging.queue, limit: HOME_PAGE_SIZE.queue },
  decisions: { ...paging.decisions, limit: HOME_PAGE_SIZE.decisions },
  resets: { ...paging.resets, limit: HOME_PAGE_SIZE.resets },
});

/** Where a person's Home stands: their paging, and whether the button they pressed last was unreadable. */
interface Place {
  paging: HomePaging;
  unreadable: boolean;
}

/**
 * The app's Home tab, one view per person, published when they open it, page through it, or a
 * request they see changes. Publishing never throws: it comes after what it shows, which stands
 * whatever Slack or the database does, and a failed publish leaves the view stale, logged.
 */
export class AppHome {
  /** Per person: the publish under way, and the one asked for meanwhile (run at their paging then). */
  private readonly running = new Map<string, Promise<void>>();
  private readonly queued = new Map<string, Promise<void>>();
  /**
   * Per person, the paging they last asked for, so a change republishes their Home where they are.
   * In memory, per instance: another instance republishes at the first pages. Bounded: the person
   * who paged longest ago is forgotten first, and sees the first pages at the next change.
   */
  private readonly pagings = new Map<string, Place>();

  constructor(
    private readonly client: WebClient,
    private readonly queries: Queries,
    private readonly deps: {
      textsFor: (userId: string) => Promise<Texts>;
      logger: Logger;
      directory: PrincipalResolver;
      policy: PolicyConfig;
      appLabel: (appId: string) => string;
      /** The phone directory, when one is kept: each account's phone name and group. */
      phoneDirectory?: PhoneDirectory;
      /** Who opened the Home tab lately, on every instance. */
      viewers: HomeViewerStore;
      now: () => number;
    },
  ) {}

  /** The person opened the Home tab: remember them for later changes, and show it from the top. */
  async opened(userId: string): Promise<void> {
    try {
      await this.deps.viewers.rememberHomeViewer(userId, this.deps.now());
    } catch (error) {
      this.deps.logger.warn('could not remember a Home tab viewer', {
        user: userId,
        error: slackError(error),
      });
    }
    await this.publish(userId, FIRST_PAGES);
  }

  /**
   * Publishes the person's Home at this paging, or, for a change, at the paging they last asked
   * for. One publish at a time per person: asked again while one runs, one more runs after it at
   * their latest paging, so a burst of changes costs two calls and a change never undoes a click.
   */
  publish(userId: string, paging?: HomePaging, { unreadable = false } = {}): Promise<void> {
    if (paging) this.remember(userId, { paging, unreadable });
    const queued = this.queued.get(userId);
    if (queued) return queued;
    const before = this.running.get(userId);
    if (!before) return this.start(userId);
    const next = before.then((): Promise<void> => {
      this.queued.delete(userId);
      return this.start(userId);
    });
    this.queued.set(userId, next);
    return next;
  }

  /**
   * Republishes the Home of those who see this request and opened theirs lately: its requester,
   * and the approvers and helpdesk agents, whose lists hold everyone's requests.
   */
  async republishFor(request: ResetRequest): Promise<void> {
    let viewers: string[];
    try {
      viewers = await this.deps.viewers.homeViewersSince(
        this.deps.now() - HOME_VIEWERS.withinMs,
        HOME_VIEWERS.scan,
      );
    } catch (error) {
      this.deps.logger.warn('could not read who opened the Home tab', {
        requestId: request.id,
        error: slackError(error),
      });
      return;
    }
    const others = viewers.filter((userId) => userId !== request.requesterId);
    const deciders: string[] = [];
    for (const userId of others) {
      if (deciders.length >= HOME_VIEWERS.max) break;
      if (await this.seesEveryone(userId)) deciders.push(userId);
    }
    const requester = viewers.includes(request.requesterId) ? [request.requesterId] : [];
    await Promise.all([...requester, ...deciders].map((userId) => this.publish(userId)));
  }

  /** Forgets who has not opened the Home tab for longer than a change looks back: returns how many. */
  forgetOldViewers(): Promise<number> {
    return this.deps.viewers.pruneHomeViewers(this.deps.now() - HOME_VIEWERS.withinMs);
  }

  private async seesEveryone(userId: string): Promise<boolean> {
    try {
      return mayDecide(await this.deps.directory.resolve(userId), this.deps.policy);
    } catch {
      // Not known to be one: their Home is brought up to date when they next open it.
      return false;
    }
  }

  private remember(userId: string, place: Place): void {
    this.pagings.delete(userId);
    this.pagings.set(userId, place);
    if (this.pagings.size > HOME_PAGINGS_MAX) {
      const oldest = this.pagings.keys().next().value;
      if (oldest !== undefined) this.pagings.delete(oldest);
    }
  }

  private start(userId: string): Promise<void> {
    const place = this.pagings.get(userId) ?? { paging: FIRST_PAGES, unreadable: false };
    // Said once, on the publish that answers the click: a later change shows the same pages without it.
    if (place.unreadable) this.pagings.set(userId, { ...place, unreadable: false });
    const run = this.publishNow(userId, place).finally(() => {
      if (this.running.get(userId) === run) this.running.delete(userId);
    });
    this.running.set(userId, run);
    return run;
  }

  private async publishNow(userId: string, { paging, unreadable }: Place): Promise<void> {
    try {
      const t = await this.deps.textsFor(userId);
      const contents = await this.queries.home(userId, pagesAt(paging));
      const phoneOf = await phonesOf(this.deps.phoneDirectory, requestsIn(contents), this.deps.logger);
      const view = homeView(t, contents, {
        appLabel: this.deps.appLabel,
        paging,
        phoneOf,
        protectedAccount: (account) => isProtected(account, this.deps.policy),
        pagingUnreadable: unreadable,
      });
      await this.client.views.publish({ user_id: userId, view });
    } catch (error) {
      this.deps.logger.warn('could not publish the Home tab', { user: userId, error: slackError(error) });
    }
  }
}
