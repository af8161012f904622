import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseForm } from 'node:querystring';
import {
  HTTPModuleFunctions,
  verifySlackRequest,
  type BufferedIncomingMessage,
  type HTTPReceiver,
} from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../../domain/logger.js';
import { ACTION, COMMAND, VIEW } from './ids.js';
import { slackError } from './web-api-errors.js';

const FORM = 'application/x-www-form-urlencoded';

/** Slack's advice: refuse a request whose timestamp is more than five minutes from the local clock. */
const MAX_SKEW_S = 5 * 60;

/**
 * How far, in seconds, a request's timestamp is from now, or undefined when it carries none that
 * is a number (Bolt answers those 401). Bolt refuses only the old ones; one stamped in the future
 * would stay valid for as long as it is ahead, so a captured request could be replayed for years.
 */
function skewOf(header: string | string[] | undefined, nowMs: number): number | undefined {
  if (typeof header !== 'string' || !/^\d{1,15}$/.test(header)) return undefined;
  return Number(header) - Math.floor(nowMs / 1000);
}

const text = z.string();
const object = z.looseObject({});
const who = z.looseObject({ id: z.string().min(1) });
const common = {
  user: who,
  // Null for an org-wide install, which Bolt handles.
  team: z.looseObject({ id: text }).nullish(),
  enterprise: z.looseObject({ id: text }).nullish(),
};

/** `/sip-reset`: the fields the listener reads, and nothing but single strings (no repeated keys). */
const slashCommand = z
  .object({
    command: z.literal(COMMAND),
    text,
    user_id: z.string().min(1),
    channel_id: text,
    trigger_id: text,
    response_url: text,
  })
  .catchall(text);

// Bolt leaves a request no listener takes unanswered for 3 s, then answers 404 with an error log:
// one the app has no listener for is refused at once instead.
const actionId = z.enum(Object.values(ACTION));
const callbackId = z.enum(Object.values(VIEW));

const blockActions = z.looseObject({
  type: z.literal('block_actions'),
  ...common,
  actions: z.array(z.looseObject({ action_id: actionId, value: text.optional() })).min(1),
  container: object.optional(),
  channel: z.looseObject({ id: text }).optional(),
  message: object.optional(),
  view: object.optional(),
  response_url: text.optional(),
});

/** A global shortcut: no channel, no response_url. */
const globalShortcut = z.looseObject({
  type: z.literal('shortcut'),
  ...common,
  callback_id: text,
  trigger_id: text,
});

const viewSubmission = z.looseObject({
  type: z.literal('view_submission'),
  ...common,
  view: z.looseObject({
    id: text,
    callback_id: callbackId,
    private_metadata: text,
    app_installed_team_id: text.optional(),
    blocks: z.array(z.looseObject({ type: text })),
    state: z.looseObject({ values: z.record(text, z.record(text, object)) }),
  }),
  response_urls: z.array(z.looseObject({ response_url: text })).optional(),
});

/**
 * An Events API callback: Bolt reads the event's `channel` (a string or an object with an ID) and
 * `item` (an object) to find its conversation, so a null there would throw. The one event this app
 * subscribes to, app_home_opened, names the person whose Home to publish; a step's run, its execution.
 */
const anyEvent = z.looseObject({
  type: text,
  channel: z.union([text, object]).optional(),
  item: object.optional(),
});
const homeOpened = anyEvent.extend({
  type: z.literal('app_home_opened'),
  user: z.string().min(1),
  tab: text,
});
/**
 * The Workflow Builder step run (function_executed): Bolt reads its execution ID, its token and its
 * inputs into the listener's context and `complete()`/`fail()`, and matches its callback ID.
 */
const functionExecuted = anyEvent.extend({
  type: z.literal('function_executed'),
  function_execution_id: z.string().min(1),
  bot_access_token: z.string().min(1),
  inputs: object,
  function: z.looseObject({ callback_id: text }),
});
const SPECIFIC_EVENTS = new Set(['app_home_opened', 'function_executed']);
const eventCallback = z.looseObject({
  type: z.literal('event_callback'),
  event: z.union([
    homeOpened,
    functionExecuted,
    anyEvent.refine((event) => !SPECIFIC_EVENTS.has(event.type)),
  ]),
  authorizations: z.array(object).optional(),
});

/**
 * A picker's suggestion (the form's account field, an external_select): Bolt reads its `channel`'s
 * ID when there is one, and its user and team to authorise it. What it asks for is the listener's
 * to judge: one it cannot answer gets an empty list of options.
 */
const blockSuggestion = z.looseObject({
  type: z.literal('block_suggestion'),
  ...common,
  channel: z.looseObject({ id: text }).optional(),
});

/** Slack's check of the request URL when it is set in the app's settings: Bolt echoes the challenge. */
const urlVerification = z.looseObject({ type: z.literal('url_verification'), challenge: text });

/**
 * Which listener Bolt would hand a body to, decided as Bolt's own `getTypeAndConversation` does (the
 * first of `event`, `command`, `name`, `actions` present wins, then the `type`), so that what is
 * checked is what Bolt will read. Slack sends this app only its slash command, its global
 * shortcut, button clicks, modal submissions, the form's picker's suggestions, events
 * (app_home_opened) and the request URL's verification (see manifest.yml: no message shortcuts),
 * so anything else is refused.
 */
function shapeFor(body: Record<string, unknown>): z.ZodType | undefined {
  if (body.event !== undefined) return eventCallback;
  if (body.name !== undefined) return undefined;
  if (body.type === 'url_verification') return urlVerification;
  if (body.command !== undefined) return slashCommand;
  if (body.actions !== undefined || body.type === 'block_actions') return blockActions;
  if (body.type === 'view_submission') return viewSubmission;
  if (body.type === 'shortcut') return globalShortcut;
  if (body.type === 'block_suggestion') return blockSuggestion;
  return undefined;
}

/** Why a verified body is not one this app serves, in words that hold no part of it; or undefined. */
function problemWith(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return `the body is ${body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body}, not an object`;
  }
  const shape = shapeFor(body as Record<string, unknown>);
  if (!shape)
    return 'not a slash command, a shortcut, a button click, a modal submission, a suggestion or an event';
  const parsed = shape.safeParse(body);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  return `${issue?.path.join('.') || 'body'}: ${issue?.code ?? 'invalid'}`;
}

/**
 * A refusal: an HTTP status with no body; or, for a suggestion, an empty list of options (its
 * element shows nothing to pick, and the person may type again).
 */
type Verdict = { pass: true } | { pass: false; status: number; problem: string; noOptions?: true };

const isSuggestion = (body: unknown): boolean =>
  typeof body === 'object' && body !== null && (body as { type?: unknown }).type === 'block_suggestion';

/**
 * Bolt's HTTPReceiver reads a signed body before any listener or error handler can catch a fault:
 * a `payload` of JSON `null` throws outside every handler and the unhandled rejection ends the
 * process, and a `null` where Bolt expects an object answers 500. This screens every request to
 * the Slack endpoint first and refuses a malformed one with 400 and one log line (never its body,
 * which may hold a response_url). A timestamp more than five minutes from now, either way, is
 * refused with 401 before the body is read. What Bolt already refuses well (a bad signature: 401) or answers
 * without a signature (`ssl_check`, whose smuggled payload Bolt strips) is left to Bolt.
 */
export function screenSlackRequests(
  receiver: HTTPReceiver,
  options: { endpoint: string; signingSecret: string; logger: Logger; now?: () => number },
): void {
  const now = options.now ?? Date.now;
  const bolt = receiver.requestListener;
  const refuse = (res: ServerResponse, status: number, problem: string) => {
    options.logger.warn('refused a malformed Slack request', { status, problem });
    HTTPModuleFunctions.buildNoBodyResponse(res, status);
  };

  /** Whether Slack signed this body: only a signed request is refused here, the rest is Bolt's (401). */
  const signed = (req: BufferedIncomingMessage, raw: string): boolean => {
    const signature = req.headers['x-slack-signature'];
    const timestamp = req.headers['x-slack-request-timestamp'];
    if (typeof signature !== 'string' || typeof timestamp !== 'string') return false;
    try {
      verifySlackRequest({
        signingSecret: options.signingSecret,
        body: raw,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': Number(timestamp) },
      });
      return true;
    } catch {
      return false;
    }
  };

  // The shape is judged first and the signature only of a body that would be refused: Bolt checks
  // every signature again, and a second HMAC on every request cost the bench 5 % of a command.
  const judge = (req: BufferedIncomingMessage): Verdict => {
    const raw = req.rawBody.toString();
    let verdict: Verdict;
    try {
      // The body as Bolt's parseHTTPRequestBody reads it, from one parse of the form.
      let body: unknown;
      if (req.headers['content-type'] === FORM) {
        const form = parseForm(raw);
        // Bolt's own test for an ssl_check, on the same exact content type.
        if (form.ssl_check === '1') return { pass: true };
        body = typeof form.payload === 'string' ? JSON.parse(form.payload) : form;
      } else body = JSON.parse(raw);
      const problem = problemWith(body);
      verdict = !problem
        ? { pass: true }
        : isSuggestion(body)
          ? { pass: false, status: 200, problem, noOptions: true }
          : { pass: false, status: 400, problem };
    } catch {
      verdict = { pass: false, status: 400, problem: 'the body is not valid JSON or form data' };
    }
    return verdict.pass || !signed(req, raw) ? { pass: true } : verdict;
  };

  const screen = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let buffered: BufferedIncomingMessage;
    try {
      buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, HTTPModuleFunctions.defaultBodyLimit);
    } catch (error) {
      const tooLarge = HTTPModuleFunctions.isRawBodyError(error) && error.statusCode === 413;
      refuse(res, tooLarge ? 413 : 400, tooLarge ? 'the body is too large' : 'the body could not be read');
      return;
    }
    const verdict = judge(buffered);
    // Bolt reuses the buffered body rather than reading the stream again.
    if (verdict.pass) bolt(buffered, res);
    else if (verdict.noOptions) {
      options.logger.warn('answered a malformed suggestion with no options', { problem: verdict.problem });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"options":[]}');
    } else refuse(res, verdict.status, verdict.problem);
  };

  receiver.requestListener = (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    // Everything else (health checks, 404s) goes to Bolt at once, where its dispatch error handler
    // catches what it throws.
    if (req.method !== 'POST' || path !== options.endpoint) {
      bolt(req, res);
      return;
    }
    // Judged on the header alone, before the body is read: no signature makes such a request good.
    const skew = skewOf(req.headers['x-slack-request-timestamp'], now());
    if (skew !== undefined && Math.abs(skew) > MAX_SKEW_S) {
      options.logger.warn('refused a Slack request stamped too far from now', { skewSeconds: skew });
      HTTPModuleFunctions.buildNoBodyResponse(res, 401);
      return;
    }
    screen(req, res).catch((error: unknown) => {
      options.logger.error('could not screen a Slack request', { error: slackError(error) });
      if (!res.headersSent) HTTPModuleFunctions.buildNoBodyResponse(res, 500);
    });
  };
}
