import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BOT_SCOPES } from '../src/slack/platform/scopes.js';
import { StepExecutions, type DeclaredStep } from './function-executions.js';

/** Anything in a Block Kit payload; the stand-in reads it loosely, as Slack's clients do. */
export type Blocks = Array<Record<string, unknown>>;

export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
}

export interface PublicMessage {
  channel: string;
  ts: string;
  /** The message whose thread this reply is in. */
  threadTs?: string;
  text: string;
  blocks?: Blocks;
  deleted: boolean;
}

export interface EphemeralMessage {
  id: string;
  channel: string;
  user: string;
  text: string;
  blocks?: Blocks;
  via: 'response_url' | 'chat.postEphemeral';
  deleted: boolean;
}

/** A person's Home tab, as views.publish left it. */
export interface HomeTab {
  id: string;
  user: string;
  view: Record<string, unknown>;
  /** How many times it was published. */
  publishes: number;
}

export interface OpenedView {
  id: string;
  user: string;
  view: Record<string, unknown>;
  /** Changes with each views.update; an update naming an older one is refused (`hash_conflict`). */
  hash: string;
}

/** One thing a person could see happen, in order: the stuff of the demo's transcript. */
export interface Sighting {
  audience: 'private' | 'public';
  /** The user who sees it privately, or the channel everyone in it sees. */
  to: string;
  /** `rebuilt`: an open form the app changed (views.update). */
  action: 'posted' | 'updated' | 'deleted' | 'opened' | 'rebuilt';
  text: string;
  blocks?: Blocks;
  /** An opened form's title and its buttons' words, as the person sees them. */
  form?: { title: string; submit: string; close: string };
}

type Original =
  { kind: 'message'; channel: string; ts: string } | { kind: 'ephemeral'; id: string } | undefined;

interface ResponseUrlState {
  user: string;
  channel: string;
  uses: number;
  issuedAt: number;
  /**
   * The message whose button was clicked, which replace_original and delete_original act on; none
   * for a slash command's URL. Never a reply sent through the URL (PLATFORM.md).
   */
  original: Original;
}

export interface SlackStubOptions {
  /** Channel ID -> its members. The bot is a member of every channel listed here. */
  channels: Record<string, string[]>;
  /** User group ID -> its members. */
  groups?: Record<string, string[]>;
  /** User ID -> display name, for transcripts. */
  users?: Record<string, string>;
  /** User ID -> Slack locale (an IETF tag such as `zh-CN`) for users.info; a known user's default is `en-US`. */
  locales?: Record<string, string>;
  channelNames?: Record<string, string>;
  now?: () => number;
  /** The scopes the bot token was granted (default: every one the app needs). */
  scopes?: readonly string[];
  /** The custom steps the app declares (default: manifest.yml's `functions`). */
  steps?: Record<string, DeclaredStep>;
}

const TRIGGER_TTL_MS = 3_000;
const RESPONSE_URL_TTL_MS = 30 * 60_000;
const RESPONSE_URL_USES = 5;

/**
 * A local stand-in for Slack's Web API and response URLs, answering as Slack does where the product
 * depends on it: trigger IDs expire and work once, ephemeral messages need a member, response URLs
 * wear out. It records every call and everything a person would see.
 */
export class SlackStub {
  readonly calls: ApiCall[] = [];
  readonly messages: PublicMessage[] = [];
  readonly ephemerals: EphemeralMessage[] = [];
  readonly views: OpenedView[] = [];
  /** Each person's Home tab, by user ID: the latest view published for them. */
  readonly homes = new Map<string, HomeTab>();
  readonly sightings: Sighting[] = [];
  /**
   * Errors to answer the next calls of a method with, in order (`response_url`: answer 404;
   * `ratelimited`: HTTP 429 with Retry-After, as Slack's rate limits answer; `http_NNN`: that HTTP
   * status with an HTML body, as Slack's edge answers when it is down).
   */
  readonly failures = new Map<string, string[]>();
  /** Methods (and `response_url`) that answer only after this many ms, as a slow Slack does. */
  readonly delays = new Map<string, number>();
  /**
   * Whether the Home tab is on in the app's settings (App Home › Show Tabs); off, views.publish
   * answers `not_enabled` (PLATFORM.md), as an admin who turned it off would leave it.
   */
  homeTabEnabled = true;
  /** Channels of `channels` the bot has not been invited to (or was removed from). */
  readonly botAbsent = new Set<string>();
  /** Users an admin deactivated: users.info still answers them, with `user.deleted: true`, as Slack does. */
  readonly deactivated = new Set<string>();
  /** Response URLs that answer 404, as expired ones do. */
  readonly deadResponseUrls = new Set<string>();
  readonly botUserId = 'UBOT';
  /** The workspace the stand-in is, and the app installed in it, as the driver's requests name them. */
  readonly teamId = 'T1';
  readonly appId = 'A1';
  readonly botId = 'BBOT';
  readonly token: string;
  /**
   * Workflow runs of the app's custom steps: a test starts one (the driver delivers its
   * function_executed event); functions.completeSuccess and completeError are answered by them.
   */
  readonly steps: StepExecutions;
  /**
   * What Slack sends in the `x-oauth-scopes` header of every answer to the bot token: the scopes
   * it was granted. A test removes one as an admin who never reinstalled the app would.
   */
  readonly grantedScopes: Set<string>;
  /**
   * Set by the Socket Mode stand-in: answers apps.connections.open, which Slack authorises by the
   * app-level token, with the URL of a new connection.
   */
  socketMode: { appToken: string; connectionUrl(): string } | undefined;
  /**
   * Told of each call as it is answered (a Web API method with its answer; a response_url with
   * none): the benchmark times what reaches Slack by it.
   */
  onCall: ((call: ApiCall, answer?: Record<string, unknown>) => void) | undefined;
  /**
   * Told of every answer, refusals included (a Web API method's JSON body; a response URL's HTTP
   * status): the playground shows what was posted, and what Slack refused, as it happens.
   */
  onAnswer: ((call: ApiCall, answer: { ok: boolean; error?: string; status?: number }) => void) | undefined;
  private readonly server: Server;
  private readonly holds = new Map<string, Array<{ arrive: () => void; released: Promise<void> }>>();
  private readonly triggers = new Map<string, { user: string; issuedAt: number; used: boolean }>();
  private readonly responseUrls = new Map<string, ResponseUrlState>();
  private readonly now: () => number;
  private seq = 0;

  constructor(
    private readonly options: SlackStubOptions,
    token = 'xoxb-stub-token',
  ) {
    this.token = token;
    this.now = options.now ?? Date.now;
    this.grantedScopes = new Set(options.scopes ?? BOT_SCOPES);
    this.steps = new StepExecutions(options.steps);
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async start(port = 0): Promise<void> {
    this.server.listen(port, '127.0.0.1');
    await once(this.server, 'listening');
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** The base URL to give the app as SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  failNext(method: string, error: string): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), error]);
  }

  /**
   * Holds the next call of a method (or `response_url`), its request read in full, until the test
   * releases it: `arrived` settles when it is in. Slack then handles it as usual, as Slack does a
   * request whose sender has gone away after sending it.
   */
  hold(method: string): { arrived: Promise<void>; release(): void } {
    let arrive = () => {};
    let release = () => {};
    const arrived = new Promise<void>((resolve) => (arrive = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.holds.set(method, [...(this.holds.get(method) ?? []), { arrive, released }]);
    return { arrived, release };
  }

  issueTrigger(user: string): string {
    const id = `trigger-${(this.seq += 1)}`;
    this.triggers.set(id, { user, issuedAt: this.now(), used: false });
    return id;
  }

  issueResponseUrl(user: string, channel: string, original?: Original): string {
    const id = `r${(this.seq += 1)}`;
    this.responseUrls.set(id, { user, channel, uses: 0, issuedAt: this.now(), original });
    return `${this.url}/response/${id}`;
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** The app DM channel of a user, as conversations.open answers it. */
  dmOf(user: string): string {
    return `D${user}`;
  }

  name(id: string): string {
    return this.options.users?.[id] ?? this.options.channelNames?.[id] ?? id;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = req.url ?? '';
    if (url.startsWith('/response/')) {
      await this.pause('response_url');
      this.handleResponseUrl(url.slice('/response/'.length), raw, res);
      const call = this.calls.at(-1);
      if (call) this.onAnswer?.(call, { ok: res.statusCode === 200, status: res.statusCode });
      return;
    }
    const method = url.replace(/^\/api\//, '').split('?')[0] ?? '';
    const args = parseArgs(raw, req.headers['content-type'] ?? '');
    this.calls.push({ method, args });
    const json = (body: Record<string, unknown>) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
      this.onAnswer?.({ method, args }, body as { ok: boolean; error?: string });
    };
    const bearer = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
    if (method.startsWith('functions.') && (bearer === this.token || this.steps.isRunToken(bearer))) {
      // A step's run is completed with its own token alone (function-executions.ts).
      json(this.steps.answer(method, bearer, args));
      return;
    }
    const token = method === 'apps.connections.open' ? this.socketMode?.appToken : this.token;
    if (!token || bearer !== token) {
      json({ ok: false, error: 'invalid_auth' });
      return;
    }
    if (token === this.token) res.setHeader('x-oauth-scopes', [...this.grantedScopes].join(','));
    await this.pause(method);
    const failure = this.failures.get(method)?.shift();
    if (failure === 'ratelimited') {
      // As Slack limits a method: HTTP 429 with the seconds to wait.
      res
        .writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '30' })
        .end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    if (failure && serverError(failure, res)) return;
    if (failure) {
      json({ ok: false, error: failure });
      return;
    }
    const answer = this.answer(method, args);
    json(answer);
    this.onCall?.({ method, args }, answer);
  }

  private async pause(method: string): Promise<void> {
    const hold = this.holds.get(method)?.shift();
    if (hold) {
      hold.arrive();
      await hold.released;
    }
    const delay = this.delays.get(method);
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    const str = (key: string) => (typeof args[key] === 'string' ? (args[key] as string) : '');
    switch (method) {
      case 'auth.test':
        // As Slack answers for a bot token (docs.slack.dev/reference/methods/auth.test): no app ID.
        return {
          ok: true,
          url: 'https://example.slack.com/',
          team: 'Example',
          user: 'sip-reset',
          team_id: this.teamId,
          user_id: this.botUserId,
          bot_id: this.botId,
          is_enterprise_install: false,
        };
      case 'bots.info':
        // docs.slack.dev/reference/methods/bots.info: the bot's app_id says which app it belongs to.
        return str('bot') === this.botId
          ? {
              ok: true,
              bot: {
                id: this.botId,
                deleted: false,
                name: 'sip-reset',
                app_id: this.appId,
                user_id: this.botUserId,
              },
            }
          : { ok: false, error: 'bot_not_found' };
      case 'apps.connections.open':
        return { ok: true, url: this.socketMode?.connectionUrl() };
      case 'views.open':
        return this.openView(str('trigger_id'), args.view as Record<string, unknown>);
      case 'views.update':
        return this.updateView(str('view_id'), str('hash'), args.view as Record<string, unknown> | undefined);
      case 'views.publish':
        return this.publishHome(str('user_id'), args.view as Record<string, unknown> | undefined);
      case 'conversations.info': {
        const id = str('channel');
        if (!this.options.channels[id]) return { ok: false, error: 'channel_not_found' };
        return {
          ok: true,
          channel: {
            id,
            ...(this.options.channelNames?.[id]
              ? { name: this.options.channelNames[id].replace(/^#/, '') }
              : {}),
            is_channel: true,
            is_archived: false,
            is_member: !this.botAbsent.has(id),
          },
        };
      }
      case 'users.info':
        return this.userInfo(str('user'), args.include_locale === true || args.include_locale === 'true');
      case 'conversations.open':
        return { ok: true, channel: { id: this.dmOf(str('users')) } };
      case 'usergroups.users.list': {
        const members = this.options.groups?.[str('usergroup')];
        return members ? { ok: true, users: members } : { ok: false, error: 'no_such_subteam' };
      }
      case 'chat.postMessage':
        return this.postMessage(
          str('channel'),
          str('text'),
          args.blocks as Blocks | undefined,
          str('thread_ts') || undefined,
        );
      case 'chat.update':
        return this.updateMessage(str('channel'), str('ts'), str('text'), args.blocks as Blocks | undefined);
      case 'chat.postEphemeral':
        return this.postEphemeral(
          str('channel'),
          str('user'),
          str('text'),
          args.blocks as Blocks | undefined,
        );
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  private openView(triggerId: string, view: Record<string, unknown> | undefined): Record<string, unknown> {
    const trigger = this.triggers.get(triggerId);
    if (!trigger) return { ok: false, error: 'invalid_trigger_id' };
    if (trigger.used || this.now() - trigger.issuedAt > TRIGGER_TTL_MS)
      return { ok: false, error: 'expired_trigger_id' };
    if (!view || modalProblem(view)) return { ok: false, error: 'invalid_arguments' };
    trigger.used = true;
    const id = `V${(this.seq += 1)}`;
    const hash = `${id}-${(this.seq += 1)}`;
    this.views.push({ id, user: trigger.user, view, hash });
    this.see({
      audience: 'private',
      to: trigger.user,
      action: 'opened',
      text: '',
      blocks: view.blocks as Blocks,
      form: { title: textOf(view.title), submit: textOf(view.submit), close: textOf(view.close) },
    });
    return { ok: true, view: { ...view, id, hash } };
  }

  /**
   * What Slack does with the app's answer to a view_submission (docs.slack.dev/surfaces/modals):
   * `response_action: 'update'` replaces the submitted view in place, checked as views.update
   * checks one, with a new hash. Answers the problem when Slack would refuse the view (the person
   * then sees an error in the modal, and the app is told nothing), else undefined.
   */
  answerSubmission(viewId: string, answer: Record<string, unknown>): string | undefined {
    if (answer.response_action !== 'update') return undefined;
    const opened = this.views.find((v) => v.id === viewId);
    if (!opened) return 'no such view';
    const view = answer.view as Record<string, unknown> | undefined;
    const problem = view ? modalProblem(view) : 'no view';
    if (problem || !view) return problem;
    this.replaceView(opened, view);
    return undefined;
  }

  /** A modal's view replaced in place, as the person sees it: a new hash, the new blocks drawn. */
  private replaceView(opened: OpenedView, view: Record<string, unknown>): void {
    opened.view = view;
    opened.hash = `${opened.id}-${(this.seq += 1)}`;
    this.see({
      audience: 'private',
      to: opened.user,
      action: 'rebuilt',
      text: '',
      blocks: view.blocks as Blocks,
    });
  }

  /**
   * As Slack answers views.update (docs.slack.dev/reference/methods/views.update): the view by its
   * ID, `not_found` for another; with a `hash`, `hash_conflict` unless it is the view's latest (an
   * update raced another); the new view checked as views.open checks one. It replaces the view in
   * place: the person still has one modal.
   */
  private updateView(
    viewId: string,
    hash: string,
    view: Record<string, unknown> | undefined,
  ): Record<string, unknown> {
    const opened = this.views.find((v) => v.id === viewId);
    if (!opened) return { ok: false, error: 'not_found' };
    if (hash && hash !== opened.hash) return { ok: false, error: 'hash_conflict' };
    if (!view || modalProblem(view)) return { ok: false, error: 'invalid_arguments' };
    this.replaceView(opened, view);
    return { ok: true, view: { ...view, id: viewId, hash: opened.hash } };
  }

  /**
   * As Slack answers views.publish (PLATFORM.md): `not_enabled` while the Home tab is off; else a
   * known user's ID, a view of type `home` of at most 100 blocks (else `view_too_large`) whose text
   * is within Block Kit's limits (else `invalid_blocks`); the view replaces the one before it.
   */
  private publishHome(user: string, view: Record<string, unknown> | undefined): Record<string, unknown> {
    if (!this.homeTabEnabled) return { ok: false, error: 'not_enabled' };
    if (!user) return { ok: false, error: 'invalid_arguments' };
    if (!this.userInfo(user, false).ok) return { ok: false, error: 'user_not_found' };
    if (!view || view.type !== 'home') return { ok: false, error: 'invalid_arguments' };
    const blocks = (view.blocks as Blocks | undefined) ?? [];
    if (blocks.length > 100) return { ok: false, error: 'view_too_large' };
    if (blocksProblem(blocks, 100)) return { ok: false, error: 'invalid_blocks' };
    const before = this.homes.get(user);
    const id = before?.id ?? `V${(this.seq += 1)}`;
    this.homes.set(user, { id, user, view, publishes: (before?.publishes ?? 0) + 1 });
    return { ok: true, view: { ...view, id } };
  }

  /**
   * As Slack answers: `locale` only when asked for with include_locale; unknown IDs are not found;
   * `deleted` says whether the user was deactivated.
   */
  private userInfo(user: string, includeLocale: boolean): Record<string, unknown> {
    const known =
      user in (this.options.users ?? {}) ||
      user in (this.options.locales ?? {}) ||
      Object.values(this.options.channels).some((members) => members.includes(user)) ||
      Object.values(this.options.groups ?? {}).some((members) => members.includes(user));
    if (!known) return { ok: false, error: 'user_not_found' };
    const locale = this.options.locales?.[user] ?? 'en-US';
    return {
      ok: true,
      user: {
        id: user,
        name: this.name(user),
        deleted: this.deactivated.has(user),
        ...(includeLocale ? { locale } : {}),
      },
    };
  }

  private channelFor(target: string): string | undefined {
    if (/^[UW]/.test(target)) return this.dmOf(target);
    if (target.startsWith('D') || this.options.channels[target]) return target;
    return undefined;
  }

  private postMessage(
    target: string,
    text: string,
    blocks: Blocks | undefined,
    threadTs?: string,
  ): Record<string, unknown> {
    if (blocksProblem(blocks, 50)) return { ok: false, error: 'invalid_blocks' };
    const channel = this.channelFor(target);
    if (!channel) return { ok: false, error: 'channel_not_found' };
    if (this.botAbsent.has(channel)) return { ok: false, error: 'not_in_channel' };
    const ts = `${Math.floor(this.now() / 1000)}.${String((this.seq += 1)).padStart(6, '0')}`;
    this.messages.push({ channel, ts, text, blocks, deleted: false, ...(threadTs ? { threadTs } : {}) });
    this.see({ audience: 'public', to: channel, action: 'posted', text, blocks });
    return { ok: true, channel, ts, message: { text, blocks, ts } };
  }

  private updateMessage(
    channel: string,
    ts: string,
    text: string,
    blocks: Blocks | undefined,
  ): Record<string, unknown> {
    if (blocksProblem(blocks, 50)) return { ok: false, error: 'invalid_blocks' };
    const message = this.messages.find((m) => m.channel === channel && m.ts === ts && !m.deleted);
    if (!message) return { ok: false, error: 'message_not_found' };
    message.text = text;
    message.blocks = blocks;
    this.see({ audience: 'public', to: channel, action: 'updated', text, blocks });
    return { ok: true, channel, ts };
  }

  private postEphemeral(
    channel: string,
    user: string,
    text: string,
    blocks: Blocks | undefined,
  ): Record<string, unknown> {
    if (blocksProblem(blocks, 50)) return { ok: false, error: 'invalid_blocks' };
    if (channel.startsWith('D')) {
      if (channel !== this.dmOf(user)) return { ok: false, error: 'channel_not_found' };
    } else {
      const members = this.options.channels[channel];
      if (!members) return { ok: false, error: 'channel_not_found' };
      if (!members.includes(user)) return { ok: false, error: 'user_not_in_channel' };
    }
    const id = `e${(this.seq += 1)}`;
    this.ephemerals.push({ id, channel, user, text, blocks, via: 'chat.postEphemeral', deleted: false });
    this.see({ audience: 'private', to: user, action: 'posted', text, blocks });
    return { ok: true, message_ts: id };
  }

  private handleResponseUrl(id: string, raw: string, res: ServerResponse): void {
    const state = this.responseUrls.get(id);
    const url = `${this.url}/response/${id}`;
    const call = { method: 'response_url', args: { ...safeJson(raw), url } };
    this.calls.push(call);
    this.onCall?.(call);
    const failure = this.failures.get('response_url')?.shift();
    if (failure && serverError(failure, res)) return;
    if (
      !state ||
      this.deadResponseUrls.has(url) ||
      failure ||
      state.uses >= RESPONSE_URL_USES ||
      this.now() - state.issuedAt > RESPONSE_URL_TTL_MS
    ) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('expired_url');
      return;
    }
    state.uses += 1;
    const body = safeJson(raw);
    const text = typeof body.text === 'string' ? body.text : '';
    const blocks = body.blocks as Blocks | undefined;
    if (blocksProblem(blocks, 50)) {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('invalid_blocks');
      return;
    }
    const flag = (key: string) => body[key] === true || body[key] === 'true';
    if (flag('delete_original') && !state.original) {
      // "delete_original is not supported for use with slash commands".
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('invalid_delete_original');
      return;
    }
    if (state.original && (flag('delete_original') || flag('replace_original'))) {
      if (!this.changeTarget(state.original, flag('delete_original'), text, blocks, state.user)) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('message_not_found');
        return;
      }
    } else if (body.response_type === 'in_channel') {
      this.postMessage(state.channel, text, blocks);
    } else {
      const ephemeralId = `e${(this.seq += 1)}`;
      this.ephemerals.push({
        id: ephemeralId,
        channel: state.channel,
        user: state.user,
        text,
        blocks,
        via: 'response_url',
        deleted: false,
      });
      this.see({ audience: 'private', to: state.user, action: 'posted', text, blocks });
    }
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
  }

  /** Replaces or deletes what a response URL points at; a public original stays public. */
  private changeTarget(
    target: Original,
    remove: boolean,
    text: string,
    blocks: Blocks | undefined,
    user: string,
  ): boolean {
    if (target?.kind === 'ephemeral') {
      const message = this.ephemerals.find((e) => e.id === target.id && !e.deleted);
      if (!message) return false;
      if (remove) message.deleted = true;
      else Object.assign(message, { text, blocks });
      this.see({
        audience: 'private',
        to: user,
        action: remove ? 'deleted' : 'updated',
        text: remove ? '' : text,
        blocks,
      });
      return true;
    }
    if (target?.kind === 'message') {
      const message = this.messages.find(
        (m) => m.channel === target.channel && m.ts === target.ts && !m.deleted,
      );
      if (!message) return false;
      if (remove) message.deleted = true;
      else Object.assign(message, { text, blocks });
      this.see({
        audience: 'public',
        to: target.channel,
        action: remove ? 'deleted' : 'updated',
        text: remove ? '' : text,
        blocks,
      });
      return true;
    }
    return false;
  }

  private see(sighting: Sighting): void {
    this.sightings.push(sighting);
  }

  /**
   * Everything anyone other than one user could see, or that stays where it is not ephemeral:
   * public messages and DMs, and Home tabs (views.publish), which stay until the next publish.
   */
  nonPrivateText(): string {
    const publicCalls = this.calls.filter((call) =>
      ['chat.postMessage', 'chat.update', 'views.publish'].includes(call.method),
    );
    const publicReplies = this.calls.filter(
      (call) => call.method === 'response_url' && call.args.response_type === 'in_channel',
    );
    return JSON.stringify([...publicCalls, ...publicReplies, ...this.messages]);
  }
}

/** Answers an `http_NNN` failure with that status, as Slack's edge does when it fails; false for any other. */
function serverError(failure: string, res: ServerResponse): boolean {
  const status = /^http_(\d{3})$/.exec(failure)?.[1];
  if (!status) return false;
  res
    .writeHead(Number(status), { 'Content-Type': 'text/html' })
    .end('<html><body>Service Unavailable</body></html>');
  return true;
}

function parseArgs(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) return safeJson(raw);
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] =
      (key === 'view' || key === 'blocks' || key === 'attachments' || key === 'outputs') && value
        ? safeJson(value)
        : value;
  }
  return args;
}

function safeJson(raw: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(raw) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Slack's documented limits on Block Kit text that this app's messages and views could reach
 * (PLATFORM.md): a button's accessibility_label is at most 75 characters; a confirmation dialog's
 * title 100, text 300, confirm and deny buttons 30 each, all four required.
 */
const LIMIT = {
  section: 3000,
  field: 2000,
  fields: 10,
  header: 150,
  button: 75,
  option: 75,
  title: 24,
  accessibilityLabel: 75,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  optionValue: 150,
  options: 100,
  blockId: 255,
};

const isPlainText = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  (value as { type?: unknown }).type === 'plain_text' &&
  typeof (value as { text?: unknown }).text === 'string' &&
  (value as { text: string }).text.length > 0;

/** Why Slack would refuse this modal in views.open or views.update, or undefined. */
function modalProblem(view: Record<string, unknown>): string | undefined {
  if (view.type !== 'modal') return 'not a modal';
  if (!fitsItsFields(view)) return 'a prefilled value longer than its field';
  if (['title', 'submit', 'close'].some((key) => textOf(view[key]).length > LIMIT.title)) return 'title';
  // "submit: required if an input block is within the blocks array" (the view object's reference).
  if (
    ((view.blocks as Blocks | undefined) ?? []).some((b) => b.type === 'input') &&
    !isPlainText(view.submit)
  )
    return 'input blocks without a submit';
  return blocksProblem(view.blocks as Blocks | undefined, 100);
}

/**
 * Why an option is not one Slack takes in a select menu (docs.slack.dev/reference/block-kit/
 * composition-objects/option-object): plain text of 1 to 75 characters, a value of 1 to 150.
 */
export function optionProblem(option: unknown): string | undefined {
  if (typeof option !== 'object' || option === null) return 'not an object';
  const { text, value } = option as { text?: unknown; value?: unknown };
  if (typeof text !== 'object' || text === null || (text as { type?: unknown }).type !== 'plain_text')
    return 'its text is not plain_text';
  const shown = textOf(text);
  if (shown.length === 0 || shown.length > LIMIT.option) return `its text has ${shown.length} characters`;
  if (typeof value !== 'string' || value.length === 0 || value.length > LIMIT.optionValue)
    return 'its value is not a string of 1 to 150 characters';
  return undefined;
}

/**
 * Why Slack would show nothing for an app's answer to a block_suggestion
 * (docs.slack.dev/reference/interaction-payloads/block_suggestion-payload): an object with
 * `options` (or `option_groups`), at most 100, each an option Slack takes.
 */
export function optionsAnswerProblem(answer: unknown): string | undefined {
  if (typeof answer !== 'object' || answer === null) return 'the answer is not an object';
  const { options, option_groups: groups } = answer as { options?: unknown; option_groups?: unknown };
  if (options !== undefined && groups !== undefined) return 'both options and option_groups';
  const list = options ?? groups;
  if (!Array.isArray(list)) return 'no options array';
  if (list.length > LIMIT.options) return `${list.length} options, more than ${LIMIT.options}`;
  const flat =
    groups === undefined ? list : list.flatMap((g) => (g as { options?: unknown[] }).options ?? [null]);
  for (const [i, option] of flat.entries()) {
    const problem = optionProblem(option);
    if (problem) return `option ${i}: ${problem}`;
  }
  return undefined;
}

/** Why Slack would refuse this button (its style, screen-reader label or confirmation dialog), if it would. */
function buttonProblem(element: Record<string, unknown>): string | undefined {
  if (textOf(element.text).length > LIMIT.button) return 'button text';
  if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger')
    return 'button style';
  const label = element.accessibility_label;
  if (label !== undefined && (typeof label !== 'string' || label.length > LIMIT.accessibilityLabel))
    return 'button accessibility_label';
  const confirm = element.confirm as Record<string, unknown> | undefined;
  if (confirm === undefined) return undefined;
  const text = confirm.text as { type?: unknown } | undefined;
  if (
    !isPlainText(confirm.title) ||
    !isPlainText(confirm.confirm) ||
    !isPlainText(confirm.deny) ||
    (text?.type !== 'plain_text' && text?.type !== 'mrkdwn') ||
    textOf(confirm.title).length > LIMIT.confirmTitle ||
    textOf(confirm.text).length === 0 ||
    textOf(confirm.text).length > LIMIT.confirmText ||
    textOf(confirm.confirm).length > LIMIT.confirmButton ||
    textOf(confirm.deny).length > LIMIT.confirmButton ||
    (confirm.style !== undefined && confirm.style !== 'primary' && confirm.style !== 'danger')
  )
    return 'button confirm';
  return undefined;
}

const textOf = (value: unknown): string =>
  typeof value === 'object' && value !== null && typeof (value as { text?: unknown }).text === 'string'
    ? (value as { text: string }).text
    : '';

/** Why Slack would refuse these blocks (`invalid_blocks`), or undefined when it would take them. */
export function blocksProblem(blocks: Blocks | undefined, maxBlocks: number): string | undefined {
  const list = blocks ?? [];
  if (list.length > maxBlocks) return `more than ${maxBlocks} blocks`;
  for (const [i, block] of list.entries()) {
    const at = `block ${i} (${String(block.type)})`;
    if (textOf(block.text).length > (block.type === 'header' ? LIMIT.header : LIMIT.section))
      return `${at}: text too long`;
    const fields = (block.fields as unknown[] | undefined) ?? [];
    if (fields.length > LIMIT.fields || fields.some((f) => textOf(f).length > LIMIT.field))
      return `${at}: fields`;
    const elements = [
      ...((block.elements as Array<Record<string, unknown>> | undefined) ?? []),
      ...(block.element ? [block.element as Record<string, unknown>] : []),
      ...(block.accessory ? [block.accessory as Record<string, unknown>] : []),
    ];
    if (typeof block.block_id === 'string' && block.block_id.length > LIMIT.blockId) return `${at}: block_id`;
    for (const element of elements) {
      const problem = element.type === 'button' ? buttonProblem(element) : undefined;
      if (problem) return `${at}: ${problem}`;
      const options = (element.options as unknown[] | undefined) ?? [];
      if (options.some((o) => textOf((o as { text?: unknown }).text).length > LIMIT.option))
        return `${at}: option text`;
      if (element.initial_option !== undefined && optionProblem(element.initial_option))
        return `${at}: initial_option`;
      if (
        element.type === 'static_select' &&
        element.initial_option !== undefined &&
        !options.some(
          (o) => (o as { value?: unknown }).value === (element.initial_option as { value?: unknown }).value,
        )
      )
        return `${at}: an initial_option that is not one of its options`;
    }
  }
  return undefined;
}

/** Slack refuses a view whose prefilled input is longer than the input's own max_length. */
function fitsItsFields(view: Record<string, unknown>): boolean {
  return ((view.blocks as Blocks | undefined) ?? []).every((block) => {
    const element = block.element as { initial_value?: unknown; max_length?: unknown } | undefined;
    const value = element?.initial_value;
    const max = element?.max_length;
    return typeof value !== 'string' || typeof max !== 'number' || [...value].length <= max;
  });
}
