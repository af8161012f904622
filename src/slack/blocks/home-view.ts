import type { Button, HomeView, KnownBlock } from '@slack/types';
import { z } from 'zod';
import type { Approval, ResetRequest } from '../../domain/request.js';
import type { PageKey } from '../../domain/ports.js';
import type { HomeContents, HomeSection, Page } from '../../domain/use-cases/queries.js';
import type { Texts } from '../../i18n/index.js';
import { ACTION, COMMAND } from '../platform/ids.js';
import { LIMITS, clip, escapeMrkdwn, escapeWithin, mrkdwnSubject, slackDate, userMention } from './format.js';
import { approveButton, button, cancelButton, claimButton, denyButton, outcomeLine } from './requests.js';
import { accountWithPhone, type PhoneLabel } from './phones.js';

/** Where a list of the Home tab starts: after the item `after` names, with `position` items before it. */
export interface PagePlace {
  position: number;
  after?: PageKey;
}

/** Where each list of the Home tab starts. */
export type HomePaging = Record<HomeSection, PagePlace>;

const FIRST: PagePlace = { position: 0 };
export const FIRST_PAGES: HomePaging = { mine: FIRST, queue: FIRST, decisions: FIRST, resets: FIRST };

/**
 * How many items each list shows at once. With every list at its fullest (a helpdesk agent who
 * approves), the view has 3 + 4 × (divider, header, pager) + 2 × 10 + 2 × 10 + 10 + 10 = 75 blocks
 * (their own approved requests and the queue take two blocks each): well within Slack's 100 for a
 * Home tab, whatever the number of requests.
 */
export const HOME_PAGE_SIZE: Record<HomeSection, number> = { mine: 10, queue: 10, decisions: 10, resets: 10 };

/** Slack's limit on a Home tab's blocks. */
export const HOME_MAX_BLOCKS = 100;

/** A reason or a denial's reason, escaped: enough to decide by, with room for the rest of its section. */
const REASON_MAX = 500;
/** Bounds on a paging button's value, which arrives from outside like any other input. */
const POSITION_MAX = 1_000_000_000;
const ID_MAX = 100;

/**
 * A list's place as a button carries it: `n` items before the page, and the time and ID of the
 * last of them (none on the first page). Short keys: four of them ride in one button's value.
 */
const placeShape = z
  .object({
    n: z.number().int().min(0).max(POSITION_MAX),
    at: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    id: z.string().min(1).max(ID_MAX).optional(),
  })
  .strict()
  .refine(({ n, at, id }) => (n === 0) === (at === undefined) && (at === undefined) === (id === undefined));
const pagingShape = z
  .object({ mine: placeShape, queue: placeShape, decisions: placeShape, resets: placeShape })
  .strict();

type PlaceValue = z.infer<typeof placeShape>;

const placeOf = ({ n, at, id }: PlaceValue): PagePlace =>
  at !== undefined && id !== undefined ? { position: n, after: { at, id } } : FIRST;

const valueOf = ({ position, after }: PagePlace): PlaceValue =>
  after ? { n: position, at: after.at, id: after.id } : { n: 0 };

/**
 * The paging a "Show older" or "Back to the newest" button carries. Anything else (a forged value,
 * or a button of a Home published by an older version, which counted pages) is `unreadable`: the
 * first pages are shown, and the person is told why.
 */
export function readPaging(value: string | undefined): { paging: HomePaging; unreadable: boolean } {
  try {
    const parsed = pagingShape.safeParse(JSON.parse(value ?? ''));
    if (parsed.success) {
      const { mine, queue, decisions, resets } = parsed.data;
      return {
        paging: {
          mine: placeOf(mine),
          queue: placeOf(queue),
          decisions: placeOf(decisions),
          resets: placeOf(resets),
        },
        unreadable: false,
      };
    }
  } catch {
    // Not JSON: unreadable, as below.
  }
  return { paging: FIRST_PAGES, unreadable: true };
}

/** The value of a button that shows the Home at this paging. */
function pagingValue(paging: HomePaging): string {
  return JSON.stringify({
    mine: valueOf(paging.mine),
    queue: valueOf(paging.queue),
    decisions: valueOf(paging.decisions),
    resets: valueOf(paging.resets),
  });
}

const section = (text: string, accessory?: Button): KnownBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text },
  ...(accessory ? { accessory } : {}),
});

const context = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

interface Options {
  appLabel: (appId: string) => string;
  paging: HomePaging;
  /** Whether an account is protected: its Approve asks for a confirmation. */
  protectedAccount?: (account: string) => boolean;
  /** The phone of a request's account, from the phone directory: shown beside it. */
  phoneOf?: (request: ResetRequest) => PhoneLabel | undefined;
  /** The paging button pressed could not be read: the first pages are shown, and this says why. */
  pagingUnreadable?: boolean;
}

/**
 * A person's Home tab: a button that opens the form, their own requests (Cancel on the open ones,
 * "Reset now" on an approved one), and, as their roles allow, the queue with Approve and Deny
 * (first, for those who decide: it is what they come for), the latest decisions and the latest
 * resets. Each list is one page, with buttons to page through it; an empty one says so. Buttons
 * repeated down a list carry an accessibility label naming their request. Holds no secret.
 */
export function homeView(t: Texts, contents: HomeContents, options: Options): HomeView {
  const h = t.home;
  const date = (ms: number) => slackDate(ms, t.dateFormat);
  const subject = (request: ResetRequest): [string, string] => {
    const [account, app] = mrkdwnSubject(request, options.appLabel(request.appId));
    return [accountWithPhone(t, account, options.phoneOf?.(request)), app];
  };
  const asked = (request: ResetRequest) => {
    const [account, app] = subject(request);
    return h.line(account, app, userMention(request.requesterId), date(request.createdAt));
  };

  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(h.title, LIMITS.header) } },
    context(h.intro(COMMAND)),
    {
      type: 'actions',
      elements: [button(h.resetButton, ACTION.homeReset, 'open', { style: 'primary' })],
    },
    ...(options.pagingUnreadable ? [context(h.pageUnreadable)] : []),
  ];
  const list = <T>(
    name: HomeSection,
    title: string,
    empty: string,
    page: Page<T> | undefined,
    draw: (item: T) => KnownBlock[],
  ) => {
    if (!page) return;
    const shown = page.items.length;
    const paged = page.position > 0 || page.more;
    const shownTitle =
      shown > 0 && paged ? h.listTitle(title, h.range(page.position + 1, page.position + shown)) : title;
    blocks.push({ type: 'divider' });
    blocks.push({ type: 'header', text: { type: 'plain_text', text: clip(shownTitle, LIMITS.header) } });
    if (shown === 0) blocks.push(section(empty));
    for (const item of page.items) blocks.push(...draw(item));
    const pager: Button[] = [];
    const at = (place: PagePlace) => pagingValue({ ...options.paging, [name]: place });
    if (page.next) {
      const older = { position: page.position + shown, after: page.next };
      pager.push(button(h.olderButton, ACTION.homeOlder, at(older)));
    }
    if (page.position > 0) pager.push(button(h.newestButton, ACTION.homeNewest, at(FIRST)));
    if (pager.length > 0) blocks.push({ type: 'actions', elements: pager });
  };

  const mine = () =>
    list('mine', h.mine, h.mineEmpty(COMMAND), contents.mine, (request) => {
      const [account, app] = subject(request);
      const label = options.appLabel(request.appId);
      const text = `${h.mineLine(account, app, date(request.createdAt))}\n${stateOf(t, request)}`;
      if (request.status === 'pending') return [section(text, cancelButton(t, request, label))];
      // A direct reset left approved is starting, not waiting for its requester: nothing to press.
      if (request.status !== 'approved' || isDirect(request)) return [section(text)];
      return [
        section(text),
        { type: 'actions', elements: [claimButton(t, request, label), cancelButton(t, request, label)] },
      ];
    });

  const queue = () =>
    list('queue', h.queue, h.queueEmpty, contents.queue, ({ request, approvals }) => {
      const label = options.appLabel(request.appId);
      const isProtected = options.protectedAccount?.(request.account) ?? false;
      return [
        section(queueText(t, request, approvals, asked(request))),
        request.requesterId === contents.viewerId
          ? context(h.ownRequest)
          : {
              type: 'actions',
              // Approving twice counts once (a protected account needs another approver): not offered.
              elements: approvals.some((a) => a.approverId === contents.viewerId)
                ? [denyButton(t, request, label)]
                : [approveButton(t, request, label, isProtected), denyButton(t, request, label)],
            },
      ];
    });

  // Those who decide come for the queue: it comes first for them.
  if (contents.queue) {
    queue();
    mine();
  } else {
    mine();
  }

  list('decisions', h.decisions, h.decisionsEmpty, contents.decisions, (request) => {
    const by = userMention(request.decidedBy ?? '?');
    const at = date(request.decidedAt ?? request.updatedAt);
    const decision =
      request.status === 'denied'
        ? withDenyReason(t, request, t.outcome.denied(by, at))
        : h.approvedBy(by, at);
    return [section(`${asked(request)}\n${decision}`)];
  });

  list('resets', h.resets, h.resetsEmpty, contents.resets, (request) => [
    section(`${asked(request)}\n${outcomeLine(t, request) ?? ''}`),
  ]);

  return { type: 'home', blocks };
}

/** Where one of the person's own requests stands, in words for them. */
function stateOf(t: Texts, request: ResetRequest): string {
  const date = (ms: number | null) => slackDate(ms ?? request.updatedAt, t.dateFormat);
  if (request.status === 'pending') return t.home.pending(date(request.expiresAt));
  if (request.status === 'approved' && request.lockoutId !== null)
    return t.lockoutRun.homeWaiting(date(request.grantExpiresAt));
  if (request.status === 'approved')
    return isDirect(request) ? t.home.starting : t.home.approved(date(request.grantExpiresAt));
  if (request.status === 'denied') {
    const by = userMention(request.decidedBy ?? '?');
    return withDenyReason(t, request, t.outcome.denied(by, date(request.decidedAt)));
  }
  if (request.status === 'undelivered')
    return t.home.undelivered(escapeMrkdwn(request.account), date(request.finishedAt));
  if (request.status === 'outcome_unknown')
    return t.home.outcomeUnknown(escapeMrkdwn(request.account), date(request.finishedAt));
  return outcomeLine(t, request) ?? '';
}

/** A reset that needed no approval: it starts at once, and has no DM button for its requester. */
const isDirect = (request: ResetRequest) => request.requiredApprovals === 0;

function withDenyReason(t: Texts, request: ResetRequest, line: string): string {
  return request.denyReason
    ? `${line}\n${t.denyReasonLine(escapeWithin(request.denyReason, REASON_MAX))}`
    : line;
}

function queueText(t: Texts, request: ResetRequest, approvals: readonly Approval[], asked: string): string {
  const reason = request.reason ? escapeWithin(request.reason, REASON_MAX) : t.noReason;
  const names = approvals.map((a) => userMention(a.approverId)).join(t.listSeparator);
  return [
    asked,
    t.home.reason(reason),
    t.home.approvals(t.approvalsCount(approvals.length, request.requiredApprovals, names)),
    t.home.pending(slackDate(request.expiresAt, t.dateFormat)),
  ].join('\n');
}
