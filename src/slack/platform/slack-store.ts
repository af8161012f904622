/**
 * What the Slack side keeps in the database of its own, beside the domain's store: where each
 * request's messages are in Slack, and who opened the Home tab lately. Its port, defined here and
 * implemented by the store's adapters (SQL and memory); the domain knows neither.
 */

/** A message Slack posted: its channel (a DM's too) and its timestamp, which names it there. */
export interface MessageRef {
  channel: string;
  ts: string;
}

/** Where a request's messages are: the approval channel's, and the requester's grant DM. */
export interface RequestMessageRefs {
  approval?: MessageRef;
  grant?: MessageRef;
}

/** Where each request's messages are, to redraw them as it moves on and to thread reminders. */
export interface MessageRefStore {
  /** Remembers a message of a request, replacing the one of that kind it had. */
  saveMessageRef(requestId: string, kind: keyof RequestMessageRefs, ref: MessageRef): Promise<void>;
  /** Where the request's messages are; none for a request never posted. */
  messageRefsOf(requestId: string): Promise<RequestMessageRefs>;
}

/** Who opened the app's Home tab lately: a change republishes theirs, on every instance. */
export interface HomeViewerStore {
  /** Remembers that a person opened the app's Home tab at `at`. */
  rememberHomeViewer(userId: string, at: number): Promise<void>;
  /** The people who opened the Home tab since `since`, the latest first, at most `limit`. */
  homeViewersSince(since: number, limit: number): Promise<string[]>;
  /** Forgets the people who last opened the Home tab before `before`; returns how many. */
  pruneHomeViewers(before: number): Promise<number>;
}

/** Where a lock-out's progress message is: a reply in the approval channel's thread, or the agent's DM. */
export interface LockoutMessageRef extends MessageRef {
  kind: 'thread' | 'dm';
}

/** Where each lock-out's progress message is, so that any instance (a resumed run too) redraws it. */
export interface LockoutMessageStore {
  saveLockoutMessage(campaignId: string, ref: LockoutMessageRef): Promise<void>;
  lockoutMessageOf(campaignId: string): Promise<LockoutMessageRef | undefined>;
  /** Records that a lock-out's summary is drawn, or that Slack refused it for good: the sweep leaves it. */
  settleLockoutSummary(campaignId: string, at: number): Promise<void>;
  /** The progress messages whose summary is not settled (of lock-outs running, or ended and not drawn). */
  unsettledLockoutSummaries(): Promise<Array<{ campaignId: string; ref: LockoutMessageRef }>>;
}

export interface SlackStore extends MessageRefStore, HomeViewerStore, LockoutMessageStore {}
