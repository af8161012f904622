import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VENDOR_STATUSES } from '../../src/itnio/index.js';
import { ItnioStub } from '../itnio-stub.js';
import { SlackDriver, type Answer } from '../slack-driver.js';
import { blocksProblem, SlackStub, type ApiCall, type Blocks } from '../slack-stub.js';
import { CAST, NAMES, SIGNING_SECRET } from '../world.js';
import { startAppProcess, type AppProcess } from './app-process.js';
import { renderBlocks, renderMessageBody } from './blocks.js';
import { escapeHtml, type Viewer } from './mrkdwn.js';

/**
 * The playground: the compiled app in a child process, as it runs in production (HTTP mode, SQLite
 * in a temporary folder), against the Slack and ITNIO stand-ins of sandbox/, and a web page on
 * 127.0.0.1 that plays Slack's client for each person of the story. The page sends what a person
 * does here; this turns it into the signed requests Slack would send, and draws back what the app
 * posted through the stand-in, for each person as Slack would show it to them.
 */

const API_KEY = 'playground-api-key';
const API_SECRET = 'playground-api-secret-0123';
const APPS = { '4luaKsL2': 'Head office', Xy12ab: 'Warehouse' };

/** The people one can be, in the order the page lists them, with what they are in the story. */
export const PEOPLE: ReadonlyArray<{ id: string; role: string }> = [
  { id: CAST.employee, role: 'requester' },
  { id: CAST.helpdesk, role: 'helpdesk agent' },
  { id: CAST.approver, role: 'approver' },
  { id: CAST.secondApprover, role: 'approver' },
  { id: CAST.owner, role: 'owner of 1002' },
  { id: CAST.chineseEmployee, role: 'requester, Slack in Chinese' },
  { id: CAST.stranger, role: 'employee' },
];

const CHANNELS: Record<string, string[]> = {
  [CAST.general]: PEOPLE.map((p) => p.id),
  [CAST.approvals]: [CAST.approver, CAST.helpdesk, CAST.secondApprover],
  [CAST.audit]: [CAST.helpdesk],
};

const GROUP_NAMES: Record<string, string> = { [CAST.helpdeskGroup]: 'helpdesk' };

export const TIME_ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Los_Angeles',
  'Asia/Shanghai',
  'Asia/Tokyo',
  'Australia/Sydney',
];

/** What Slack refused of the app's calls, as the stand-in answered. */
interface Refusal {
  order: number;
  at: number;
  method: string;
  error: string;
  /** Why, as the stand-in judges Block Kit, when it is about blocks. */
  detail?: string;
  /** Where it was meant to appear, and for whom when it was private. */
  channel?: string;
  user?: string;
}

/** A slash command's answer in its HTTP response, which Slack shows as an ephemeral message. */
interface AckReply {
  id: string;
  channel: string;
  user: string;
  text: string;
  blocks?: Blocks;
  /** Slackbot's own line, when the app failed to answer. */
  fromSlackbot: boolean;
}

interface Modal {
  id: string;
  view: Record<string, unknown>;
  version: number;
}

interface Session {
  user: string;
  /** Ephemeral messages from before this page load are gone, as they are from a reloaded Slack. */
  floor: number;
}

/** Where a clicked element is. */
type Host =
  | { kind: 'message'; channel: string; ts: string }
  | { kind: 'ephemeral'; id: string }
  | { kind: 'home' }
  | { kind: 'modal'; viewId: string };

/** A page's request was wrong (a gone message, an unknown person): answered 400 with the reason. */
class BadRequest extends Error {}

type Json = Record<string, unknown>;
const object = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

export interface PlaygroundOptions {
  /** The page's port on 127.0.0.1; 0 for any free one. */
  port?: number;
  /** Told of each warning or error the app logs. */
  onProblem?: (line: string) => void;
}

export class Playground {
  readonly slack: SlackStub;
  readonly vendor: ItnioStub;
  /** Each person's Slack language, which users.info answers; the page changes it. */
  private readonly locales: Record<string, string> = { [CAST.chineseEmployee]: 'zh-CN' };
  private readonly seen = new Map<object, { order: number; at: number }>();
  private seq = 0;
  private readonly acks: AckReply[] = [];
  private readonly refusals: Refusal[] = [];
  private readonly modals = new Map<string, Modal[]>();
  private readonly sessions = new Map<string, Session>();
  private readonly responseUrls = new Map<string, { user: string; channel: string }>();
  private readonly listeners = new Set<ServerResponse>();
  private notifying = false;
  private server: Server | undefined;
  private app: AppProcess | undefined;
  private driver: SlackDriver | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'sip-reset-playground-'));

  constructor() {
    this.slack = new SlackStub({
      channels: CHANNELS,
      groups: { [CAST.helpdeskGroup]: [CAST.helpdesk] },
      users: NAMES,
      locales: this.locales,
    });
    this.vendor = new ItnioStub({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      accounts: { '4luaKsL2': ['1001', '1002', '1003', '9000'], Xy12ab: ['2001'] },
    });
    this.slack.onAnswer = (call, answer) => this.answered(call, answer);
    this.vendor.onCall = () => this.changed();
  }

  /** Starts the stand-ins, the app (dist/main.js must be built) and the page's server. */
  static async start(options: PlaygroundOptions = {}): Promise<Playground> {
    const playground = new Playground();
    try {
      await playground.begin(options);
    } catch (error) {
      await playground.stop();
      throw error;
    }
    return playground;
  }

  private async begin(options: PlaygroundOptions): Promise<void> {
    await Promise.all([this.slack.start(), this.vendor.start()]);
    const ownersFile = join(this.dir, 'owners.json');
    writeFileSync(ownersFile, JSON.stringify({ [CAST.owner]: ['1002'] }));
    this.app = await startAppProcess({
      dir: this.dir,
      onProblem: options.onProblem,
      env: {
        SLACK_BOT_TOKEN: this.slack.token,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: this.slack.apiUrl,
        PORT: '0',
        ITNIO_API_KEY: API_KEY,
        ITNIO_API_SECRET: API_SECRET,
        ITNIO_BASE_URL: this.vendor.baseUrl,
        SIP_RESET_PHONE_PICKER: 'on',
        ITNIO_APP_IDS: Object.entries(APPS)
          .map(([id, label]) => `${label}=${id}`)
          .join(','),
        SIP_RESET_HELPDESK: CAST.helpdeskGroup,
        SIP_RESET_APPROVERS: `${CAST.approver},${CAST.secondApprover},${CAST.helpdeskGroup}`,
        SIP_RESET_APPROVAL_CHANNEL: CAST.approvals,
        SIP_RESET_AUDIT_CHANNEL: CAST.audit,
        SIP_RESET_OWNERS_FILE: ownersFile,
        SIP_RESET_PROTECTED: '9*',
        DATABASE_URL: join(this.dir, 'sip-reset.sqlite'),
      },
    });
    this.driver = new SlackDriver({
      eventsUrl: `http://127.0.0.1:${this.app.port}/slack/events`,
      signingSecret: SIGNING_SECRET,
      stub: this.slack,
    });
    this.server = createServer((req, res) => void this.serve(req, res));
    this.server.listen(options.port ?? 0, '127.0.0.1');
    await once(this.server, 'listening');
  }

  /** The page's address. */
  get url(): string {
    const { port } = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** The app's log, for a person who wants to see it. */
  get appLog(): string {
    return join(this.dir, 'app.log');
  }

  async stop(): Promise<void> {
    for (const listener of this.listeners) listener.end();
    if (this.server) {
      this.server.closeAllConnections();
      await new Promise<void>((done) => this.server?.close(() => done()));
    }
    await this.app?.stop();
    await Promise.allSettled([this.slack.stop(), this.vendor.stop()]);
    rmSync(this.dir, { recursive: true, force: true });
  }

  // ─── what happens: the stand-ins' answers, kept in order ───────────────────────────────────────

  private mark(thing: object): { order: number; at: number } {
    let mark = this.seen.get(thing);
    if (!mark) {
      mark = { order: (this.seq += 1), at: Date.now() };
      this.seen.set(thing, mark);
    }
    return mark;
  }

  private answered(call: ApiCall, answer: { ok: boolean; error?: string; status?: number }): void {
    for (const message of this.slack.messages) this.mark(message);
    for (const ephemeral of this.slack.ephemerals) this.mark(ephemeral);
    const args = call.args;
    if (!answer.ok) {
      const target = call.method === 'response_url' ? this.responseUrls.get(str(args.url)) : undefined;
      const channel = str(args.channel) || target?.channel;
      const problem = blocksProblem(
        args.blocks as Blocks | undefined,
        call.method === 'views.publish' ? 100 : 50,
      );
      const refusal: Refusal = {
        order: (this.seq += 1),
        at: Date.now(),
        method: call.method,
        error: answer.error ?? `HTTP ${String(answer.status)}`,
        ...(problem && { detail: problem }),
        ...(channel && { channel: /^[UW]/.test(channel) ? this.slack.dmOf(channel) : channel }),
        ...((str(args.user) || str(args.user_id) || target?.user) && {
          user: str(args.user) || str(args.user_id) || target?.user,
        }),
      };
      this.refusals.push(refusal);
    } else if (call.method === 'views.open') {
      const opened = this.slack.views.find((v) => v.id === str(object(object(answer).view).id));
      if (opened) this.modals.set(opened.user, [{ id: opened.id, view: opened.view, version: 0 }]);
    } else if (call.method === 'views.update') {
      for (const stack of this.modals.values()) {
        const modal = stack.find((m) => m.id === str(args.view_id));
        if (modal) Object.assign(modal, { view: object(args.view), version: modal.version + 1 });
      }
    }
    this.changed();
  }

  /** Tells every open page that something changed; many changes at once make one notice. */
  private changed(): void {
    if (this.notifying) return;
    this.notifying = true;
    setImmediate(() => {
      this.notifying = false;
      for (const listener of this.listeners) listener.write(`data: ${this.seq}\n\n`);
    });
  }

  // ─── what a person does ────────────────────────────────────────────────────────────────────────

  private session(id: unknown): Session {
    const session = this.sessions.get(str(id));
    if (!session) throw new BadRequest('This page is from before the playground restarted: reload it.');
    return session;
  }

  /** A new page load: ephemeral messages so far are gone from it, and so is any open modal. */
  openSession(user: string): string {
    if (!PEOPLE.some((p) => p.id === user)) throw new BadRequest(`no such person: ${user}`);
    const id = randomUUID();
    this.sessions.set(id, { user, floor: this.seq });
    this.modals.delete(user);
    return id;
  }

  private get slackDriver(): SlackDriver {
    if (!this.driver) throw new Error('the playground is not started');
    return this.driver;
  }

  private issueResponseUrl(user: string, channel: string, original?: Host): string {
    const kept = original?.kind === 'message' || original?.kind === 'ephemeral' ? original : undefined;
    const url = this.slack.issueResponseUrl(user, channel, kept);
    this.responseUrls.set(url, { user, channel });
    return url;
  }

  /** A slash command typed in a conversation: Slack's answer to an unknown one, or the app's. */
  async command(sessionId: unknown, channel: string, line: string): Promise<void> {
    const { user } = this.session(sessionId);
    this.checkChannel(user, channel);
    const [command = '', ...rest] = line.trim().split(/\s+/);
    const reply = (text: string, fromSlackbot: boolean, blocks?: Blocks) => {
      const ack: AckReply = { id: `a${this.acks.length + 1}`, channel, user, text, blocks, fromSlackbot };
      this.acks.push(ack);
      this.mark(ack);
      this.changed();
    };
    if (command !== '/sip-reset') {
      reply(
        `\`${command}\` is not a valid command. In Slack, all messages that start with "/" are interpreted as commands.`,
        true,
      );
      return;
    }
    const form = this.slackDriver.commandForm(user, rest.join(' '), channel);
    form.response_url = this.issueResponseUrl(user, channel);
    const answer = await this.slackDriver.sendCommand(form);
    if (answer.status !== 200) {
      reply(`/sip-reset failed with the error "dispatch_failed"`, true);
      return;
    }
    const body = parseBody(answer);
    if (str(body.text) || Array.isArray(body.blocks)) reply(str(body.text), false, body.blocks as Blocks);
  }

  private checkChannel(user: string, channel: string): void {
    if (channel === this.slack.dmOf(user)) return;
    if (!CHANNELS[channel]?.includes(user)) throw new BadRequest(`${NAMES[user]} is not in ${channel}`);
  }

  /** The person opens the app's Home tab. */
  async openHome(sessionId: unknown): Promise<void> {
    const { user } = this.session(sessionId);
    await this.slackDriver.openHome(user);
  }

  /** The person's Slack language, which the app reads with users.info (and keeps for an hour). */
  setLanguage(user: string, locale: string): void {
    if (!PEOPLE.some((p) => p.id === user)) throw new BadRequest(`no such person: ${user}`);
    this.locales[user] = locale === 'zh-CN' ? 'zh-CN' : 'en-US';
    this.changed();
  }

  /** The blocks a host shows to this person now. */
  private blocksOf(user: string, host: Host): { blocks: Blocks; channel?: string; message?: Json } {
    switch (host.kind) {
      case 'message': {
        const message = this.slack.messages.find(
          (m) => m.channel === host.channel && m.ts === host.ts && !m.deleted,
        );
        if (!message) throw new BadRequest('That message is gone.');
        this.checkChannel(user, message.channel);
        return {
          blocks: message.blocks ?? [],
          channel: message.channel,
          message: { ts: message.ts, text: message.text, blocks: message.blocks },
        };
      }
      case 'ephemeral': {
        const ephemeral = this.slack.ephemerals.find(
          (e) => e.id === host.id && e.user === user && !e.deleted,
        );
        if (!ephemeral) throw new BadRequest('That message is gone.');
        return { blocks: ephemeral.blocks ?? [], channel: ephemeral.channel };
      }
      case 'home':
        return { blocks: (object(this.slack.homes.get(user)?.view).blocks as Blocks | undefined) ?? [] };
      case 'modal': {
        const modal = this.modals.get(user)?.find((m) => m.id === host.viewId);
        if (!modal) throw new BadRequest('That form is closed.');
        return { blocks: (modal.view.blocks as Blocks | undefined) ?? [] };
      }
    }
  }

  /**
   * A person acts on an element (a button, a select in an actions block, an input that dispatches):
   * the block_actions payload Slack would send, built from the element as the app drew it.
   */
  async act(
    sessionId: unknown,
    request: {
      host: Host;
      blockId: string;
      actionId: string;
      value?: string;
      selected?: { value: string; text: string };
      /** What a multi-select holds after the change, in the order picked. */
      selectedOptions?: Array<{ value: string; text: string }>;
      state?: Json;
    },
  ): Promise<{ error?: string }> {
    const { user } = this.session(sessionId);
    const found = this.blocksOf(user, request.host);
    const element = findElement(found.blocks, request.blockId, request.actionId, request.value);
    if (!element) throw new BadRequest('That button is not there any more.');
    const actionTs = String(Date.now() / 1000);
    const action: Json = {
      type: element.type,
      action_id: request.actionId,
      block_id: request.blockId,
      action_ts: actionTs,
    };
    if (element.type === 'button') Object.assign(action, { value: str(element.value), text: element.text });
    else if (element.type === 'plain_text_input') action.value = request.value ?? '';
    else if (element.type === 'multi_external_select')
      action.selected_options = chosenOptions(element, request.selectedOptions);
    else if (request.selected) action.selected_option = this.selectedOption(element, request.selected);
    const host = request.host;
    const container: Json =
      host.kind === 'message'
        ? { type: 'message', channel_id: host.channel, message_ts: host.ts, is_ephemeral: false }
        : host.kind === 'ephemeral'
          ? { type: 'message', channel_id: found.channel, is_ephemeral: true }
          : { type: 'view', view_id: host.kind === 'home' ? this.slack.homes.get(user)?.id : host.viewId };
    const view =
      host.kind === 'home'
        ? { ...object(this.slack.homes.get(user)?.view), id: this.slack.homes.get(user)?.id, type: 'home' }
        : host.kind === 'modal'
          ? this.viewPayload(user, host.viewId, object(request.state))
          : undefined;
    const payload: Json = {
      type: 'block_actions',
      ...this.actor(user),
      container,
      ...(found.channel && {
        channel: { id: found.channel, name: this.slack.name(found.channel) },
        response_url: this.issueResponseUrl(user, found.channel, host),
      }),
      ...(found.message && { message: found.message }),
      ...(view && { view }),
      actions: [action],
    };
    const answer = await this.slackDriver.sendInteraction(payload);
    return answer.status === 200 ? {} : { error: `The app answered HTTP ${answer.status}.` };
  }

  private selectedOption(element: Json, selected: { value: string; text: string }): Json {
    const options = [
      ...((element.options as Json[] | undefined) ?? []),
      ...((element.option_groups as Json[] | undefined) ?? []).flatMap(
        (g) => (g.options as Json[] | undefined) ?? [],
      ),
    ];
    const known = options.find((o) => o.value === selected.value);
    return known ?? { text: { type: 'plain_text', text: selected.text }, value: selected.value };
  }

  /** A modal as its view_submission or block_actions carries it: the view, its ID, and what is typed. */
  private viewPayload(user: string, viewId: string, typed: Json): Json {
    const modal = this.modals.get(user)?.find((m) => m.id === viewId);
    if (!modal) throw new BadRequest('That form is closed.');
    const values: Record<string, Json> = {};
    for (const block of (modal.view.blocks as Json[] | undefined) ?? []) {
      const elements =
        block.type === 'input'
          ? [object(block.element)]
          : block.type === 'actions'
            ? ((block.elements as Json[] | undefined) ?? [])
            : [];
      const blockId = str(block.block_id);
      for (const element of elements) {
        const actionId = str(element.action_id);
        if (!blockId || !actionId || element.type === 'button') continue;
        const entry = object(object(typed[blockId])[actionId]);
        const state: Json = { type: element.type };
        if (element.type === 'plain_text_input') {
          state.value = str(entry.value) === '' ? null : str(entry.value);
        } else if (element.type === 'multi_external_select') {
          state.selected_options = chosenOptions(element, entry.selected_options);
        } else {
          const selected = object(entry.selected_option);
          state.selected_option = str(selected.value)
            ? this.selectedOption(element, { value: str(selected.value), text: str(selected.text) })
            : null;
        }
        values[blockId] = { ...values[blockId], [actionId]: state };
      }
    }
    return {
      ...modal.view,
      id: modal.id,
      team_id: 'T1',
      app_id: 'A1',
      bot_id: 'BBOT',
      // Slack's own hash of this view: an update naming an older one is refused (hash_conflict).
      hash: this.slack.views.find((v) => v.id === modal.id)?.hash ?? `hash-${modal.id}-${modal.version}`,
      state: { values },
      private_metadata: str(modal.view.private_metadata),
    };
  }

  /** The person submits the modal on top: the app's answer keeps it open with errors, or closes it. */
  async submit(sessionId: unknown, viewId: string, typed: Json): Promise<{ errors?: Json; error?: string }> {
    const { user } = this.session(sessionId);
    const stack = this.modals.get(user) ?? [];
    const view = this.viewPayload(user, viewId, typed);
    const answer = await this.slackDriver.sendInteraction({
      type: 'view_submission',
      ...this.actor(user),
      view,
      response_urls: [],
    });
    if (answer.status !== 200) return { error: 'We had some trouble connecting. Try again?' };
    const body = parseBody(answer);
    switch (body.response_action) {
      case 'errors':
        return { errors: object(body.errors) };
      case 'update': {
        // Slack checks the new view as views.update would; one it refuses leaves the form as it was.
        const known = this.slack.views.some((v) => v.id === viewId);
        const refused = known && this.slack.answerSubmission(viewId, body);
        if (refused) return { error: `Slack could not show the app's answer: ${refused}` };
        const top = stack.find((m) => m.id === viewId);
        if (top) Object.assign(top, { view: object(body.view), version: top.version + 1 });
        break;
      }
      case 'push':
        stack.push({ id: `V${randomUUID().slice(0, 8)}`, view: object(body.view), version: 0 });
        break;
      case 'clear':
        this.modals.delete(user);
        break;
      default:
        this.modals.set(
          user,
          stack.filter((m) => m.id !== viewId),
        );
    }
    this.changed();
    return {};
  }

  /** The person closes the modal: gone, and the app told when it asked to be (`notify_on_close`). */
  async close(sessionId: unknown, viewId: string): Promise<void> {
    const { user } = this.session(sessionId);
    const stack = this.modals.get(user) ?? [];
    const modal = stack.find((m) => m.id === viewId);
    this.modals.set(
      user,
      stack.filter((m) => m.id !== viewId),
    );
    this.changed();
    if (modal?.view.notify_on_close) {
      await this.slackDriver.sendInteraction({
        type: 'view_closed',
        ...this.actor(user),
        view: this.viewPayload(user, viewId, {}),
        is_cleared: false,
      });
    }
  }

  /** What an external_select offers for what the person typed: the app's block_suggestion answer. */
  async suggest(
    sessionId: unknown,
    request: { host: Host; blockId: string; actionId: string; value: string },
  ): Promise<Array<{ value: string; text: string; group?: string }>> {
    const { user } = this.session(sessionId);
    const host = request.host;
    const answer = await this.slackDriver.sendInteraction({
      type: 'block_suggestion',
      ...this.actor(user),
      block_id: request.blockId,
      action_id: request.actionId,
      value: request.value,
      container:
        host.kind === 'modal' ? { type: 'view', view_id: host.viewId } : { type: 'message', ...host },
      ...(host.kind === 'modal' && { view: this.viewPayload(user, host.viewId, {}) }),
    });
    if (answer.status !== 200) return [];
    const body = parseBody(answer);
    const flat = (options: unknown, group?: string) =>
      ((options as Json[] | undefined) ?? []).map((o) => ({
        value: str(o.value),
        text: str(object(o.text).text),
        ...(group && { group }),
      }));
    return [
      ...flat(body.options),
      ...((body.option_groups as Json[] | undefined) ?? []).flatMap((g) =>
        flat(g.options, str(object(g.label).text)),
      ),
    ];
  }

  /** The fields every interactive payload carries about who acted, with a fresh trigger ID. */
  private actor(user: string): Json {
    return {
      team: { id: 'T1', domain: 'example' },
      user: { id: user, username: this.slack.name(user), name: this.slack.name(user), team_id: 'T1' },
      api_app_id: 'A1',
      token: 'verification-token-unused',
      trigger_id: this.slack.issueTrigger(user),
    };
  }

  // ─── what a person sees ────────────────────────────────────────────────────────────────────────

  viewer(user: string, timeZone: string): Viewer {
    return {
      timeZone: TIME_ZONES.includes(timeZone) ? timeZone : 'UTC',
      locale: this.locales[user] ?? 'en-US',
      name: (id) => GROUP_NAMES[id] ?? NAMES[id]?.replace(/ \(.*\)$/, '') ?? id,
      now: Date.now,
    };
  }

  /** Everything one page shows: the sidebar, the open conversation or Home tab, the side panel, a modal. */
  view(sessionId: unknown, place: string, timeZone: string): Json {
    const session = this.session(sessionId);
    const { user } = session;
    const viewer = this.viewer(user, timeZone);
    const dm = this.slack.dmOf(user);
    const channels = Object.keys(CHANNELS).filter((c) => CHANNELS[c]?.includes(user));
    const here = place === 'home' || place === dm || channels.includes(place) ? place : CAST.general;
    const link = (id: string, label: string) =>
      `<li><a href="#" class="place${id === here ? ' current' : ''}" data-place="${escapeHtml(id)}">${escapeHtml(label)}</a></li>`;
    const sidebar = `<h4>Channels</h4><ul>${channels.map((c) => link(c, NAMES[c] ?? c)).join('')}</ul><h4>Apps</h4><ul>${link(
      'home',
      'sip-reset · Home',
    )}${link(dm, 'sip-reset · Messages')}</ul>`;
    const modal = this.modals.get(user)?.at(-1);
    return {
      place: here,
      title:
        here === 'home' ? 'sip-reset · Home' : here === dm ? 'sip-reset · Messages' : (NAMES[here] ?? here),
      composer: here !== 'home',
      sidebar,
      main: here === 'home' ? this.homeHtml(user, viewer) : this.conversationHtml(session, here, viewer),
      panel: this.panelHtml(),
      modal: modal
        ? {
            key: `${modal.id}:${modal.version}`,
            id: modal.id,
            title: escapeHtml(str(object(modal.view.title).text)),
            submit: modal.view.submit ? escapeHtml(str(object(modal.view.submit).text)) : '',
            close: escapeHtml(str(object(modal.view.close).text) || 'Cancel'),
            body: renderBlocks(modal.view.blocks as Blocks | undefined, viewer),
          }
        : null,
    };
  }

  private homeHtml(user: string, viewer: Viewer): string {
    const home = this.slack.homes.get(user);
    if (!home) return '<div class="empty">The app has not published a Home tab for you yet.</div>';
    return `<div class="home" data-host-kind="home">${renderBlocks(object(home.view).blocks as Blocks, viewer)}</div>`;
  }

  private conversationHtml(session: Session, channel: string, viewer: Viewer): string {
    const { user } = session;
    const time = (ms: number) =>
      new Intl.DateTimeFormat(viewer.locale.startsWith('zh') ? 'zh-CN' : 'en-US', {
        timeZone: viewer.timeZone,
        hour: 'numeric',
        minute: '2-digit',
      }).format(ms);
    const head = (author: string, at: number, onlyYou: boolean) =>
      `<div class="msg-head"><span class="author">${escapeHtml(author)}</span>${
        author === 'sip-reset' ? '<span class="app-badge">APP</span>' : ''
      }<span class="time">${escapeHtml(time(at))}</span>${
        onlyYou ? '<span class="only-you">Only visible to you</span>' : ''
      }</div>`;
    const items: Array<{ order: number; html: string }> = [];
    const messages = this.slack.messages.filter((m) => m.channel === channel && !m.deleted);
    /** A message the app posted, its HTML inside `.msg`: a click in it names it (channel and ts). */
    const posted = (
      message: (typeof messages)[number],
      kind: string,
      inner: { before?: string; after?: string } = {},
    ) =>
      `<div class="${kind}" data-host-kind="message" data-channel="${escapeHtml(message.channel)}" data-ts="${escapeHtml(
        message.ts,
      )}">${head('sip-reset', Number(message.ts) * 1000, false)}${inner.before ?? ''}<div class="msg-body">${renderMessageBody(
        message,
        viewer,
      )}</div>${inner.after ?? ''}</div>`;
    const parents = new Set(messages.filter((m) => !m.threadTs).map((m) => m.ts));
    for (const message of messages.filter((m) => !m.threadTs)) {
      const replies = messages
        .filter((m) => m.threadTs === message.ts)
        .map((reply) => posted(reply, 'msg reply'))
        .join('');
      items.push({
        order: this.mark(message).order,
        html: posted(message, 'msg', {
          after: replies ? `<div class="thread"><div class="thread-label">Thread</div>${replies}</div>` : '',
        }),
      });
    }
    // A reply whose parent is gone (deleted, or never posted here) still shows, marked, as Slack
    // keeps a thread's replies when its parent is deleted.
    for (const reply of messages.filter((m) => m.threadTs && !parents.has(m.threadTs))) {
      items.push({
        order: this.mark(reply).order,
        html: posted(reply, 'msg reply orphan', {
          before: '<div class="thread-note">replied to a thread</div>',
        }),
      });
    }
    const fresh = (thing: object) => this.mark(thing).order > session.floor;
    for (const ephemeral of this.slack.ephemerals) {
      if (ephemeral.user !== user || ephemeral.channel !== channel || ephemeral.deleted || !fresh(ephemeral))
        continue;
      const mark = this.mark(ephemeral);
      items.push({
        order: mark.order,
        html: `<div class="msg ephemeral" data-host-kind="ephemeral" data-ephemeral-id="${escapeHtml(ephemeral.id)}">${head(
          'sip-reset',
          mark.at,
          true,
        )}<div class="msg-body">${renderMessageBody(ephemeral, viewer)}</div></div>`,
      });
    }
    for (const ack of this.acks) {
      if (ack.user !== user || ack.channel !== channel || !fresh(ack)) continue;
      const mark = this.mark(ack);
      items.push({
        order: mark.order,
        html: `<div class="msg ephemeral" data-host-kind="ack">${head(ack.fromSlackbot ? 'Slackbot' : 'sip-reset', mark.at, true)}<div class="msg-body">${renderMessageBody(
          ack,
          viewer,
        )}</div></div>`,
      });
    }
    for (const refusal of this.refusals) {
      if (refusal.channel !== channel || (refusal.user && refusal.user !== user)) continue;
      if (refusal.user && refusal.order <= session.floor) continue;
      items.push({ order: refusal.order, html: `<div class="msg refused">${refusalHtml(refusal)}</div>` });
    }
    items.sort((a, b) => a.order - b.order);
    return items.length
      ? items.map((item) => item.html).join('')
      : `<div class="empty">Nothing here yet. Type <code>/sip-reset</code> below.</div>`;
  }

  private panelHtml(): string {
    const calls = [
      ...this.vendor.calls.map((call) => ({ ...call, endpoint: 'sipReset', order: this.mark(call).order })),
      ...this.vendor.queries.map((query) => ({
        account: `page ${query.current}`,
        appId: query.appId,
        answered: query.answered,
        endpoint: 'sipQuery',
        order: this.mark(query).order,
      })),
    ].sort((a, b) => b.order - a.order);
    const result = (answered: string) => {
      if (answered === '0') return 'success';
      const known = VENDOR_STATUSES[answered];
      return known ? `${answered} ${known.code}` : answered;
    };
    const vendor = calls.length
      ? calls
          .map(
            (call) =>
              `<li class="vendor-call${call.answered === '0' ? ' ok' : ' failed'}"><b>${escapeHtml(call.endpoint)}</b> ${escapeHtml(
                call.account,
              )} · ${escapeHtml(APPS[call.appId as keyof typeof APPS] ?? call.appId)} → ${escapeHtml(result(call.answered))}</li>`,
          )
          .join('')
      : '<li class="empty">No calls yet.</li>';
    const refused = this.refusals.length
      ? [...this.refusals]
          .reverse()
          .map((r) => `<li>${refusalHtml(r)}</li>`)
          .join('')
      : '<li class="empty">None.</li>';
    return `<h4>ITNIO calls</h4><p class="note">Account and result; the password the vendor answers with goes only to its requester.</p><ul class="vendor-calls">${vendor}</ul><h4>What Slack refused</h4><ul class="refusals">${refused}</ul>`;
  }

  // ─── the page's HTTP server ────────────────────────────────────────────────────────────────────

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, type: string, body: string): void => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' }).end(body);
    };
    const json = (status: number, body: unknown): void =>
      send(status, 'application/json', JSON.stringify(body));
    // Only this machine's pages: a site that points its own name at 127.0.0.1 gets nothing.
    if (!/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(req.headers.host ?? '')) {
      send(403, 'text/plain', 'The playground answers only at 127.0.0.1.');
      return;
    }
    try {
      if (req.method === 'GET') {
        if (url.pathname === '/') return send(200, 'text/html; charset=utf-8', page('index.html'));
        if (url.pathname === '/page.js') return send(200, 'text/javascript; charset=utf-8', page('page.js'));
        if (url.pathname === '/page.css') return send(200, 'text/css; charset=utf-8', page('page.css'));
        if (url.pathname === '/api/people')
          return json(200, {
            people: PEOPLE.map((p) => ({ ...p, name: NAMES[p.id], locale: this.locales[p.id] ?? 'en-US' })),
            timeZones: TIME_ZONES,
          });
        if (url.pathname === '/api/view')
          return json(
            200,
            this.view(
              url.searchParams.get('session'),
              url.searchParams.get('place') ?? '',
              url.searchParams.get('tz') ?? 'UTC',
            ),
          );
        if (url.pathname === '/api/events') {
          res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
          res.write(`retry: 1000\ndata: ${this.seq}\n\n`);
          this.listeners.add(res);
          req.on('close', () => this.listeners.delete(res));
          return;
        }
        return send(404, 'text/plain', 'not found');
      }
      // JSON only: a form on another site cannot post it without the browser asking first.
      if (req.method !== 'POST' || !(req.headers['content-type'] ?? '').startsWith('application/json'))
        return send(415, 'text/plain', 'POST application/json');
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = object(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
      const host = object(body.host) as Host;
      switch (url.pathname) {
        case '/api/session':
          return json(200, { session: this.openSession(str(body.user)) });
        case '/api/language':
          this.setLanguage(str(body.user), str(body.locale));
          return json(200, {});
        case '/api/command':
          await this.command(body.session, str(body.channel), str(body.text));
          return json(200, {});
        case '/api/home':
          await this.openHome(body.session);
          return json(200, {});
        case '/api/action':
          return json(
            200,
            await this.act(body.session, {
              host,
              blockId: str(body.blockId),
              actionId: str(body.actionId),
              ...(typeof body.value === 'string' && { value: body.value }),
              ...(body.selected
                ? {
                    selected: {
                      value: str(object(body.selected).value),
                      text: str(object(body.selected).text),
                    },
                  }
                : {}),
              ...(Array.isArray(body.selectedOptions)
                ? {
                    selectedOptions: body.selectedOptions.map((o) => ({
                      value: str(object(o).value),
                      text: str(object(o).text),
                    })),
                  }
                : {}),
              ...(body.state ? { state: object(body.state) } : {}),
            }),
          );
        case '/api/submit':
          return json(200, await this.submit(body.session, str(body.viewId), object(body.values)));
        case '/api/close':
          await this.close(body.session, str(body.viewId));
          return json(200, {});
        case '/api/suggest':
          return json(200, {
            options: await this.suggest(body.session, {
              host,
              blockId: str(body.blockId),
              actionId: str(body.actionId),
              value: str(body.value),
            }),
          });
        default:
          return send(404, 'text/plain', 'not found');
      }
    } catch (error) {
      if (error instanceof BadRequest || error instanceof SyntaxError) json(400, { error: error.message });
      else json(500, { error: `The playground failed: ${(error as Error).message}` });
    }
  }
}

function page(name: string): string {
  return readFileSync(new URL(`./page/${name}`, import.meta.url), 'utf8');
}

function parseBody(answer: Answer): Json {
  try {
    return object(answer.json());
  } catch {
    return {};
  }
}

function refusalHtml(refusal: Refusal): string {
  return `<span class="author">Slack</span> refused <code>${escapeHtml(refusal.method)}</code>: <b>${escapeHtml(
    refusal.error,
  )}</b>${refusal.detail ? ` (${escapeHtml(refusal.detail)})` : ''}`;
}

/**
 * A multi-select's `selected_options` as Slack sends them (in view.state and in block_actions):
 * option objects, in the order picked, each once, no more than its `max_selected_items`; none is `[]`.
 */
export function chosenOptions(element: Json, chosen: unknown): Json[] {
  const seen = new Set<string>();
  const options: Json[] = [];
  for (const item of Array.isArray(chosen) ? chosen : []) {
    const value = str(object(item).value);
    if (!value || seen.has(value)) continue;
    seen.add(value);
    options.push({ text: { type: 'plain_text', text: str(object(item).text) || value }, value });
  }
  const max = typeof element.max_selected_items === 'number' ? element.max_selected_items : Infinity;
  return options.slice(0, max);
}

/** The element with this action ID in this block (and this value, for a button that has one). */
export function findElement(
  blocks: Blocks,
  blockId: string,
  actionId: string,
  value?: string,
): Json | undefined {
  for (const [index, block] of blocks.entries()) {
    if ((str(block.block_id) || `b${index}`) !== blockId) continue;
    const elements =
      block.type === 'actions'
        ? ((block.elements as Json[] | undefined) ?? [])
        : block.type === 'section' && block.accessory
          ? [object(block.accessory)]
          : block.type === 'input'
            ? [object(block.element)]
            : [];
    const found = elements.find(
      (e) =>
        e.action_id === actionId && (e.type !== 'button' || value === undefined || str(e.value) === value),
    );
    if (found) return found;
  }
  return undefined;
}
