import sinon from 'sinon';
import { catalogueFor } from '../../src/i18n/index.js';
import type { SlackServices } from '../../src/slack/services.js';

/** An object whose every method is a sinon stub, made on first use (resolving to undefined). */
function stubbed(): Record<string, sinon.SinonStub> {
  const stubs = new Map<string, sinon.SinonStub>();
  return new Proxy({} as Record<string, sinon.SinonStub>, {
    get(target, key) {
      // Not a thenable, whatever a test awaits.
      if (typeof key !== 'string' || key === 'then') return undefined;
      if (key in target) return target[key];
      if (!stubs.has(key)) stubs.set(key, sinon.stub().resolves(undefined));
      return stubs.get(key);
    },
  });
}

/** Each method of a service as the stub it is in the fakes. */
type Stubbed<T> = {
  [K in keyof T]: T[K] extends (...args: never[]) => unknown ? T[K] & sinon.SinonStub : T[K];
};

/** Fake services: what a listener is given, each of their methods a stub a test programs and inspects. */
export type FakeServices = SlackServices & {
  [K in keyof SlackServices]-?: Stubbed<NonNullable<SlackServices[K]>>;
};

/**
 * Fakes for what a listener is given: the domain's use cases and the Slack side's services, each
 * method a stub resolving to undefined until a test says otherwise; English texts for everyone,
 * and every request's subject its account in "Head office".
 */
export function fakeServices(overrides: Partial<SlackServices> = {}): FakeServices {
  const t = catalogueFor('en');
  const services = {
    intake: stubbed(),
    decisions: stubbed(),
    resets: stubbed(),
    upkeep: stubbed(),
    queries: stubbed(),
    messages: stubbed(),
    home: stubbed(),
    delivery: stubbed(),
    notices: stubbed(),
    directory: stubbed(),
    lockouts: stubbed(),
    lockoutRuns: stubbed(),
    logger: { debug: sinon.stub(), info: sinon.stub(), warn: sinon.stub(), error: sinon.stub() },
    config: { itnio: { apps: [{ appId: 'app1', label: 'Head office' }] } },
    t,
    textsFor: sinon.stub().resolves(t),
    appLabel: () => 'Head office',
    subject: (request: { account: string }) => [request.account, 'Head office'],
    answerReadLimitMs: 1_000,
    ...overrides,
  };
  return services as unknown as FakeServices;
}

/** What Bolt gives every listener, as fakes: ack, respond, say, next, the Web API client, a logger. */
export interface FakeArguments {
  ack: sinon.SinonStub;
  respond: sinon.SinonStub;
  say: sinon.SinonStub;
  next: sinon.SinonStub;
  client: {
    views: { open: sinon.SinonStub; update: sinon.SinonStub; publish: sinon.SinonStub };
    chat: { postMessage: sinon.SinonStub; postEphemeral: sinon.SinonStub };
  };
}

/**
 * A listener's arguments, as the Bolt template's buildArguments(): fakes for what Bolt adds, and
 * the parts of the request a test names (body, action, view, command, shortcut, event, payload).
 */
export function buildArguments<Args>(parts: Record<string, unknown> = {}): Args & FakeArguments {
  return {
    ack: sinon.stub().resolves(),
    respond: sinon.stub().resolves(),
    say: sinon.stub().resolves(),
    next: sinon.stub().resolves(),
    client: {
      views: {
        open: sinon.stub().resolves({ ok: true }),
        update: sinon.stub().resolves({ ok: true }),
        publish: sinon.stub().resolves({ ok: true }),
      },
      chat: {
        postMessage: sinon.stub().resolves({ ok: true }),
        postEphemeral: sinon.stub().resolves({ ok: true }),
      },
    },
    logger: { debug: sinon.stub(), info: sinon.stub(), warn: sinon.stub(), error: sinon.stub() },
    context: {},
    ...parts,
  } as unknown as Args & FakeArguments;
}

/** A button's click as Slack sends it: who clicked, where, and the button's value. */
export function clickOf(
  actionId: string,
  value: string,
  { user = 'UALICE', responseUrl, channel }: { user?: string; responseUrl?: string; channel?: string } = {},
) {
  const action = { type: 'button', action_id: actionId, block_id: 'b', value, action_ts: '1' };
  const body = {
    type: 'block_actions',
    user: { id: user },
    trigger_id: 'trigger-1',
    actions: [action],
    ...(responseUrl ? { response_url: responseUrl } : {}),
    ...(channel ? { channel: { id: channel } } : {}),
  };
  return { body, action };
}

/**
 * A run of the Workflow Builder step as Bolt hands it to its listener: the function_executed event,
 * its inputs, and complete() and fail() as stubs (Bolt's call functions.completeSuccess/completeError).
 */
export function stepRunOf(inputs: Record<string, unknown>, executionId = 'Fx1') {
  const event = {
    type: 'function_executed',
    function_execution_id: executionId,
    bot_access_token: 'xwfp-test',
    function: { callback_id: 'reset_sip_password' },
    inputs,
  };
  return {
    event,
    body: { type: 'event_callback', event },
    payload: event,
    inputs,
    complete: sinon.stub().resolves({ ok: true }),
    fail: sinon.stub().resolves({ ok: true }),
  };
}
