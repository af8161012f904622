import { createHmac } from 'node:crypto';
import { Agent } from 'node:http';
import fetch from 'node-fetch';
import { optionsAnswerProblem, type Blocks, type OpenedView, type SlackStub } from './slack-stub.js';
import type { StepExecution } from './function-executions.js';

/** What the app acknowledged a request with: an HTTP answer's JSON body, or a Socket Mode ack's payload. */
export interface Acknowledgement {
  json(): Record<string, unknown>;
}

export interface Answer extends Acknowledgement {
  status: number;
  body: string;
}

/**
 * Where a clicked button is: a public message (channel, ts) or an ephemeral one. `shown` is what a
 * client that has not refreshed still shows, for clicks on stale buttons.
 */
export type ButtonHost =
  { kind: 'message'; channel: string; ts: string; shown?: Blocks } | { kind: 'ephemeral'; id: string };

export type SlashCommandForm = Record<
  | 'token'
  | 'team_id'
  | 'team_domain'
  | 'channel_id'
  | 'channel_name'
  | 'user_id'
  | 'user_name'
  | 'command'
  | 'text'
  | 'api_app_id'
  | 'response_url'
  | 'trigger_id',
  string
>;

/** How a request is signed: a test may spoil the timestamp or sign with the wrong secret. */
export interface Signing {
  timestamp?: number;
  secret?: string;
}

const freshConnections = new Agent({ keepAlive: false });

/** Slack stops waiting for a block_suggestion's options after 3 s, and shows none (PLATFORM.md). */
export const SUGGESTION_DEADLINE_MS = 3_000;

/** An option of a select menu, as Slack sends it back when it is picked. */
export interface PickedOption {
  text: { type: 'plain_text'; text: string; emoji?: boolean };
  value: string;
}

/** The input blocks of a view, with their element. */
function inputsOf(
  view: Record<string, unknown>,
): Array<{ blockId: string; element: Record<string, unknown> }> {
  return ((view.blocks as Blocks | undefined) ?? [])
    .filter((block) => block.type === 'input')
    .map((block) => ({ blockId: String(block.block_id), element: block.element as Record<string, unknown> }));
}

/** Signs a request body as Slack does: v0 HMAC-SHA256 over `v0:timestamp:body`. */
export function slackSignature(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/**
 * Plays Slack's part towards the app: slash commands, modal submissions and button clicks built as
 * Slack builds them, with trigger IDs and response URLs issued by the stand-in. A subclass carries
 * them to the app the way its receiver takes them, and answers with what the app acknowledged.
 */
export abstract class Driver<A extends Acknowledgement> {
  private eventSeq = 0;
  /** Per modal (view ID), the option picked in each external_select (block ID), as Slack keeps it. */
  private readonly picked = new Map<string, Map<string, PickedOption>>();
  /** Per modal (view ID), the options picked in each multi_external_select (block ID), in order. */
  private readonly multiPicked = new Map<string, Map<string, PickedOption[]>>();

  constructor(protected readonly stub: SlackStub) {}

  /** Carries a slash command's fields, as commandForm builds them, to the app. */
  abstract sendCommand(form: SlashCommandForm): Promise<A>;

  /** Carries an interaction payload (view_submission, block_actions) to the app. */
  abstract sendInteraction(payload: Record<string, unknown>): Promise<A>;

  /** Carries an Events API callback (`event_callback`, its event inside) to the app. */
  abstract sendEvent(body: Record<string, unknown>): Promise<A>;

  /** Sends an event as Slack wraps it in an event_callback. */
  event(event: Record<string, unknown>): Promise<A> {
    const eventTs = String(Date.now() / 1000);
    return this.sendEvent({
      token: 'verification-token-unused',
      team_id: 'T1',
      api_app_id: 'A1',
      event: { ...event, event_ts: eventTs },
      type: 'event_callback',
      event_id: `Ev${(this.eventSeq += 1)}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: 'T1', user_id: this.stub.botUserId, is_bot: true }],
    });
  }

  /**
   * A workflow reaches one of the app's custom steps: Slack starts a run with its own token and
   * sends its function_executed event. Resolves with the run and the app's acknowledgement.
   */
  async runStep(
    callbackId: string,
    inputs: Record<string, unknown>,
  ): Promise<{ run: StepExecution; answer: A }> {
    const run = this.stub.steps.start(callbackId, inputs);
    return { run, answer: await this.deliverStep(run) };
  }

  /** Sends a run's function_executed event (again, for a redelivery: the same execution ID). */
  deliverStep(run: StepExecution): Promise<A> {
    return this.event(this.stub.steps.eventOf(run));
  }

  /** The person opens the app's Home tab (`tab: 'messages'` for its Messages tab), with the view it shows. */
  openHome(user: string, tab: 'home' | 'messages' = 'home'): Promise<A> {
    const home = this.stub.homes.get(user);
    return this.event({
      type: 'app_home_opened',
      user,
      channel: this.stub.dmOf(user),
      tab,
      ...(home ? { view: { ...home.view, id: home.id } } : {}),
    });
  }

  /**
   * Clicks a button on the person's Home tab: the first with this action ID, or the one with this
   * value too. `forged` sends the value even when no such button is shown (a stale or crafted click).
   */
  homeClick(user: string, actionId: string, value?: string, forged = false): Promise<A> {
    const home = this.stub.homes.get(user);
    const blocks = (home?.view.blocks as Blocks | undefined) ?? [];
    const button = findButton(blocks, actionId, value);
    if (!button && !(forged && value !== undefined))
      throw new Error(`no button ${actionId} on ${user}'s Home`);
    return this.sendInteraction({
      type: 'block_actions',
      ...this.actor(user),
      container: { type: 'view', view_id: home?.id ?? 'V0' },
      view: { ...home?.view, id: home?.id ?? 'V0', type: 'home' },
      actions: [
        buttonAction(actionId, {
          blockId: button?.blockId ?? 'actions',
          value: value ?? button?.value ?? '',
          text: button?.text ?? '',
        }),
      ],
    });
  }

  /** Builds a slash command's form, with a fresh trigger ID and response URL. */
  commandForm(user: string, text: string, channel: string): SlashCommandForm {
    return {
      token: 'verification-token-unused',
      team_id: 'T1',
      team_domain: 'example',
      channel_id: channel,
      channel_name: this.stub.name(channel),
      user_id: user,
      user_name: this.stub.name(user),
      command: '/sip-reset',
      text,
      api_app_id: 'A1',
      response_url: this.stub.issueResponseUrl(user, channel),
      trigger_id: this.stub.issueTrigger(user),
    };
  }

  async command(user: string, text: string, channel: string): Promise<A> {
    return this.sendCommand(this.commandForm(user, text, channel));
  }

  /** Uses the app's global shortcut (the shortcuts button `/` in the message box, or the search bar), with a fresh trigger ID. */
  async shortcut(user: string, callbackId = 'sip_reset_shortcut'): Promise<A> {
    return this.sendInteraction({
      type: 'shortcut',
      ...this.actor(user),
      callback_id: callbackId,
      action_ts: String(Date.now() / 1000),
    });
  }

  /**
   * Submits the modal most recently opened for this user, filling inputs by block ID (a
   * multi_external_select's accounts separated by commas). An answer that updates the view is
   * applied as Slack applies it; one Slack would refuse throws, as the person would see an error.
   */
  async submitModal(user: string, values: Record<string, string>): Promise<A> {
    const opened = this.openedModal(user);
    const answer = await this.sendInteraction(this.modalSubmission(user, values, opened));
    let body: Record<string, unknown> = {};
    try {
      body = answer.json();
    } catch {
      // Not JSON: no view to apply.
    }
    const problem = opened && this.stub.answerSubmission(opened.id, body);
    if (problem) throw new Error(`Slack would not show the view the submission answered: ${problem}`);
    return answer;
  }

  /** Clicks the button with this action ID in the modal most recently opened for this user, as it is now. */
  async clickInModal(user: string, actionId: string): Promise<A> {
    const opened = this.openedModal(user);
    if (!opened) throw new Error(`no modal is open for ${user}`);
    const button = findButton(opened.view.blocks as Blocks | undefined, actionId);
    if (!button) throw new Error(`no button ${actionId} in ${user}'s modal`);
    return this.sendInteraction({
      type: 'block_actions',
      ...this.actor(user),
      container: { type: 'view', view_id: opened.id },
      view: this.viewPayload(opened, {}),
      actions: [buttonAction(actionId, button)],
    });
  }

  /** Clicks the button with this action ID in a message or an ephemeral message. */
  async click(user: string, host: ButtonHost, actionId: string): Promise<A> {
    return this.sendInteraction(this.buttonClick(user, host, actionId));
  }

  /**
   * The view_submission payload of a modal (by default the one most recently opened for this user),
   * inputs filled by block ID.
   */
  modalSubmission(
    user: string,
    values: Record<string, string>,
    opened = this.openedModal(user),
  ): Record<string, unknown> {
    if (!opened) throw new Error(`no modal is open for ${user}`);
    return {
      type: 'view_submission',
      ...this.actor(user),
      view: this.viewPayload(opened, values),
      response_urls: [],
    };
  }

  /** The modal most recently opened for this user, as views.open and views.update left it. */
  openedModal(user: string): OpenedView | undefined {
    return [...this.stub.views].reverse().find((v) => v.user === user);
  }

  /**
   * A modal as a payload carries it, with the state of its inputs: a value given by block ID, else
   * what the person picked, else what the view set initially (Slack submits an untouched initial
   * value or option as chosen), else nothing.
   */
  private viewPayload(opened: OpenedView, values: Record<string, string>): Record<string, unknown> {
    const state: Record<string, Record<string, unknown>> = {};
    const picked = this.picked.get(opened.id);
    for (const { blockId, element } of inputsOf(opened.view)) {
      const actionId = String(element.action_id);
      const value = values[blockId];
      const initial = element.initial_option as PickedOption | undefined;
      if (element.type === 'static_select') {
        const options = (element.options as PickedOption[] | undefined) ?? [];
        const chosen =
          value === undefined
            ? initial
            : (options.find((o) => o.value === value) ?? {
                text: { type: 'plain_text' as const, text: value },
                value,
              });
        state[blockId] = {
          [actionId]: { type: 'static_select', selected_option: value === '' ? null : (chosen ?? null) },
        };
      } else if (element.type === 'multi_external_select') {
        const chosen =
          value !== undefined
            ? value
                .split(',')
                .filter(Boolean)
                .map((v) => ({ text: { type: 'plain_text' as const, text: v }, value: v }))
            : (this.multiPicked.get(opened.id)?.get(blockId) ?? []);
        state[blockId] = { [actionId]: { type: 'multi_external_select', selected_options: chosen } };
      } else if (element.type === 'external_select') {
        const chosen =
          value !== undefined
            ? value === ''
              ? undefined
              : { text: { type: 'plain_text' as const, text: value }, value }
            : (picked?.get(blockId) ?? initial);
        state[blockId] = { [actionId]: { type: 'external_select', selected_option: chosen ?? null } };
      } else {
        const typed = value ?? (element.initial_value as string | undefined);
        state[blockId] = { [actionId]: { type: 'plain_text_input', value: typed ?? null } };
      }
    }
    const view = opened.view;
    return {
      ...view,
      id: opened.id,
      team_id: 'T1',
      app_id: 'A1',
      bot_id: 'BBOT',
      hash: opened.hash,
      state: { values: state },
      private_metadata: (view.private_metadata as string | undefined) ?? '',
    };
  }

  /**
   * Types `query` into the modal's external_select (the first, or the one in `blockId`): the
   * block_suggestion Slack sends as the person types, to the options load URL. The answer must
   * come within Slack's 3 s and be options Slack would show (at most 100, each within its limits),
   * or this throws: Slack would show nothing.
   */
  async suggest(user: string, query: string, options: { blockId?: string } = {}): Promise<PickedOption[]> {
    const opened = this.openedModal(user);
    if (!opened) throw new Error(`no modal is open for ${user}`);
    const input = inputsOf(opened.view).find(
      (i) =>
        (i.element.type === 'external_select' || i.element.type === 'multi_external_select') &&
        (!options.blockId || i.blockId === options.blockId),
    );
    if (!input) throw new Error('the modal has no such external_select');
    const started = performance.now();
    const answer = await this.sendInteraction({
      type: 'block_suggestion',
      ...this.actor(user),
      block_id: input.blockId,
      action_id: String(input.element.action_id),
      value: query,
      container: { type: 'view', view_id: opened.id },
      // The view as Slack last knew it: its state does not follow what the person chose since (PLATFORM.md).
      view: { ...this.viewPayload(opened, {}), state: { values: {} } },
    });
    const elapsed = performance.now() - started;
    if (elapsed > SUGGESTION_DEADLINE_MS)
      throw new Error(
        `the options came after ${Math.round(elapsed)} ms: Slack waits ${SUGGESTION_DEADLINE_MS} ms`,
      );
    if ('status' in answer && (answer as unknown as Answer).status !== 200)
      throw new Error(`the options load URL answered HTTP ${(answer as unknown as Answer).status}`);
    const body = answer.json();
    const problem = optionsAnswerProblem(body);
    if (problem) throw new Error(`Slack would not show these options: ${problem}`);
    return body.options as PickedOption[];
  }

  /**
   * Picks, in the modal's external_select, the option with this value among those the app offers
   * for `query` (default: the value itself); Slack keeps it for the submission.
   */
  async pick(user: string, value: string, query = value, blockId?: string): Promise<PickedOption> {
    const offered = await this.suggest(user, query, { blockId });
    const option = offered.find((o) => o.value === value);
    if (!option) throw new Error(`${value} was not offered for "${query}"`);
    const opened = this.openedModal(user) as OpenedView;
    const input = inputsOf(opened.view).find(
      (i) =>
        (i.element.type === 'external_select' || i.element.type === 'multi_external_select') &&
        (!blockId || i.blockId === blockId),
    );
    const block = input?.blockId ?? '';
    if (input?.element.type === 'multi_external_select') {
      // One more picked, as a person adds a phone to those already chosen.
      const multi = this.multiPicked.get(opened.id) ?? new Map<string, PickedOption[]>();
      multi.set(block, [...(multi.get(block) ?? []).filter((o) => o.value !== value), option]);
      this.multiPicked.set(opened.id, multi);
      return option;
    }
    const picks = this.picked.get(opened.id) ?? new Map<string, PickedOption>();
    picks.set(block, option);
    this.picked.set(opened.id, picks);
    return option;
  }

  /**
   * Chooses an option in the modal's static_select in block `blockId` whose input dispatches its
   * choice (`dispatch_action`): the block_actions Slack sends, with the view's state (what is typed,
   * by block ID, and the choice).
   */
  async choose(user: string, blockId: string, value: string, typed: Record<string, string> = {}): Promise<A> {
    const opened = this.openedModal(user);
    if (!opened) throw new Error(`no modal is open for ${user}`);
    const block = ((opened.view.blocks as Blocks | undefined) ?? []).find((b) => b.block_id === blockId);
    const element = block?.element as Record<string, unknown> | undefined;
    if (!block || !element || block.dispatch_action !== true)
      throw new Error(`no input in ${blockId} dispatches its choice`);
    const option = ((element.options as PickedOption[] | undefined) ?? []).find((o) => o.value === value);
    if (!option) throw new Error(`${value} is not an option of ${blockId}`);
    return this.sendInteraction({
      type: 'block_actions',
      ...this.actor(user),
      container: { type: 'view', view_id: opened.id },
      view: this.viewPayload(opened, { ...typed, [blockId]: value }),
      actions: [
        {
          type: 'static_select',
          action_id: String(element.action_id),
          block_id: blockId,
          selected_option: option,
          action_ts: String(Date.now() / 1000),
        },
      ],
    });
  }

  /** The block_actions payload of a click on the button with this action ID, with a fresh response URL. */
  buttonClick(user: string, host: ButtonHost, actionId: string): Record<string, unknown> {
    const found = this.findHost(host);
    const button = findButton(host.kind === 'message' && host.shown ? host.shown : found.blocks, actionId);
    if (!button) throw new Error(`no button ${actionId} there`);
    const original =
      host.kind === 'message'
        ? { kind: 'message' as const, channel: host.channel, ts: host.ts }
        : { kind: 'ephemeral' as const, id: host.id };
    return {
      type: 'block_actions',
      ...this.actor(user),
      container: {
        type: 'message',
        channel_id: found.channel,
        is_ephemeral: host.kind === 'ephemeral',
        ...(host.kind === 'message' ? { message_ts: host.ts } : {}),
      },
      channel: { id: found.channel, name: this.stub.name(found.channel) },
      ...(host.kind === 'message'
        ? { message: { ts: host.ts, text: found.text, blocks: found.blocks } }
        : {}),
      response_url: this.stub.issueResponseUrl(user, found.channel, original),
      actions: [buttonAction(actionId, button)],
    };
  }

  /** The fields every interactive payload carries about who acted, with a fresh trigger ID. */
  private actor(user: string) {
    return {
      team: { id: 'T1', domain: 'example' },
      user: { id: user, username: this.stub.name(user), name: this.stub.name(user), team_id: 'T1' },
      api_app_id: 'A1',
      token: 'verification-token-unused',
      trigger_id: this.stub.issueTrigger(user),
    };
  }

  private findHost(host: ButtonHost): { channel: string; text: string; blocks: Blocks } {
    if (host.kind === 'message') {
      const message = this.stub.messages.find((m) => m.channel === host.channel && m.ts === host.ts);
      if (!message) throw new Error('no such message');
      return { channel: message.channel, text: message.text, blocks: message.blocks ?? [] };
    }
    const ephemeral = this.stub.ephemerals.find((e) => e.id === host.id);
    if (!ephemeral) throw new Error('no such ephemeral message');
    return { channel: ephemeral.channel, text: ephemeral.text, blocks: ephemeral.blocks ?? [] };
  }
}

/** Signed requests into the app's real HTTP receiver, as Slack sends them. */
export class SlackDriver extends Driver<Answer> {
  private last: { headers: Record<string, string>; body: string } | undefined;

  constructor(
    private readonly options: {
      eventsUrl: string;
      signingSecret: string;
      stub: SlackStub;
      now?: () => number;
    },
  ) {
    super(options.stub);
  }

  sendCommand(form: SlashCommandForm): Promise<Answer> {
    return this.post(form);
  }

  sendInteraction(payload: Record<string, unknown>): Promise<Answer> {
    return this.post({ payload: JSON.stringify(payload) });
  }

  /** Events come as a JSON body, signed like the rest. */
  sendEvent(body: Record<string, unknown>): Promise<Answer> {
    return this.postRaw(JSON.stringify(body), 'application/json');
  }

  /** Sends a form body as Slack would; `sign` lets a test spoil the signature or the timestamp. */
  post(form: Record<string, string>, sign: Signing = {}): Promise<Answer> {
    return this.postRaw(new URLSearchParams(form).toString(), 'application/x-www-form-urlencoded', sign);
  }

  /** Sends any body with any content type, signed unless `sign` is false: for what Slack never sends. */
  postRaw(body: string, contentType: string, sign: Signing | false = {}): Promise<Answer> {
    const timestamp =
      (sign ? sign.timestamp : undefined) ?? Math.floor((this.options.now ?? Date.now)() / 1000);
    const headers: Record<string, string> = {
      'Content-Type': contentType,
      ...(sign && {
        'X-Slack-Request-Timestamp': String(timestamp),
        'X-Slack-Signature': slackSignature(sign.secret ?? this.options.signingSecret, timestamp, body),
      }),
    };
    this.last = { headers, body };
    return this.send(headers, body);
  }

  /** Sends the last request again, byte for byte with its signature: a replay, or Slack's own retry. */
  replay(): Promise<Answer> {
    if (!this.last) throw new Error('nothing was sent yet');
    return this.send(this.last.headers, this.last.body);
  }

  private async send(headers: Record<string, string>, body: string): Promise<Answer> {
    const response = await fetch(this.options.eventsUrl, {
      method: 'POST',
      // A fresh connection each time, as Slack's requests come: a restarted app must not meet a stale one.
      agent: freshConnections,
      headers,
      body,
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text,
      json: () => (text ? (JSON.parse(text) as Record<string, unknown>) : {}),
    };
  }
}

/** A button's click as Slack reports it in a block_actions payload. */
function buttonAction(actionId: string, button: { blockId: string; value: string; text: string }) {
  return {
    type: 'button',
    action_id: actionId,
    block_id: button.blockId,
    value: button.value,
    text: { type: 'plain_text', text: button.text },
    action_ts: String(Date.now() / 1000),
  };
}

/** The button with this action ID (and value, if given), in an actions block or a section's accessory. */
export function findButton(
  blocks: Blocks | undefined,
  actionId: string,
  value?: string,
): { value: string; blockId: string; text: string } | undefined {
  for (const block of blocks ?? []) {
    const elements =
      block.type === 'actions'
        ? ((block.elements as Array<Record<string, unknown>> | undefined) ?? [])
        : block.type === 'section' && block.accessory
          ? [block.accessory as Record<string, unknown>]
          : [];
    for (const element of elements) {
      if (element.action_id === actionId && (value === undefined || element.value === value)) {
        return {
          value: String(element.value ?? ''),
          blockId: String(block.block_id ?? 'actions'),
          text: String((element.text as { text?: string } | undefined)?.text ?? ''),
        };
      }
    }
  }
  return undefined;
}
