import { expect } from 'chai';
import { CAST } from '../../sandbox/world.js';
import { testWorld, worldTest, type TestWorld } from '../helpers/world.js';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/** A form whose `payload` field holds this value as JSON, as Slack sends interactive payloads. */
const payload = (value: unknown) => `payload=${encodeURIComponent(JSON.stringify(value))}`;

const actor = { team: { id: 'T1' }, user: { id: CAST.helpdesk, team_id: 'T1' }, api_app_id: 'A1' };

const click = (fields: Record<string, unknown> = {}) => ({
  type: 'block_actions',
  ...actor,
  container: { type: 'message', channel_id: CAST.general, is_ephemeral: true },
  actions: [{ type: 'button', action_id: 'sip_reset_remove_password', block_id: 'b1', value: '' }],
  ...fields,
});

const submission = (fields: Record<string, unknown> = {}, view: Record<string, unknown> = {}) => ({
  type: 'view_submission',
  ...actor,
  view: {
    id: 'V1',
    type: 'modal',
    callback_id: 'sip_reset_request',
    private_metadata: '',
    blocks: [],
    state: { values: { account: { value: { type: 'plain_text_input', value: '1001' } } } },
    ...view,
  },
  ...fields,
});

/** An Events API body as Slack sends it, JSON, around this event. */
const eventCallback = (event: Record<string, unknown>) => ({
  token: 'unused',
  team_id: 'T1',
  api_app_id: 'A1',
  type: 'event_callback',
  event_id: 'Ev1',
  event_time: 1,
  event,
});

const commandFields = {
  command: '/sip-reset',
  text: '1001',
  user_id: CAST.helpdesk,
  channel_id: CAST.general,
  team_id: 'T1',
  trigger_id: 'trigger-forged',
  response_url: 'https://hooks.slack.com/commands/T1/1/forged',
};
const command = new URLSearchParams(commandFields).toString();
const { user_id: _user, ...commandWithoutUser } = commandFields;

interface Case {
  what: string;
  body: string;
  contentType?: string;
  signed?: boolean;
  status: number;
}

/** Requests Slack never sends: each is refused at once with one log line, and nothing happens. */
const MALFORMED: Case[] = [
  { what: 'a payload that is JSON null', body: 'payload=null', status: 400 },
  { what: 'a JSON body that is null', body: 'null', contentType: JSON_TYPE, status: 400 },
  { what: 'a null body of another content type', body: 'null', contentType: 'text/plain', status: 400 },
  { what: 'a JSON body that is a number', body: '42', contentType: JSON_TYPE, status: 400 },
  { what: 'a payload that is a string', body: payload('block_actions'), status: 400 },
  { what: 'a payload that is an array', body: payload([click()]), status: 400 },
  { what: 'a payload that is not JSON', body: 'payload=%7Bnot-json', status: 400 },
  { what: 'a JSON body that is not JSON', body: '{"type":', contentType: JSON_TYPE, status: 400 },
  { what: 'a payload without a type', body: payload({ ...click(), type: undefined }), status: 400 },
  { what: 'a payload whose type is a number', body: payload(click({ type: 7 })), status: 400 },
  {
    what: 'a payload of a type the app does not serve',
    body: payload({ ...actor, type: 'message_action', callback_id: 'x', trigger_id: 't' }),
    status: 400,
  },
  {
    what: 'a shortcut with user null',
    body: payload({
      ...actor,
      user: null,
      type: 'shortcut',
      callback_id: 'sip_reset_shortcut',
      trigger_id: 't',
    }),
    status: 400,
  },
  {
    what: 'a shortcut without a trigger_id',
    body: payload({ ...actor, type: 'shortcut', callback_id: 'sip_reset_shortcut' }),
    status: 400,
  },
  { what: 'a click with actions null', body: payload(click({ actions: null })), status: 400 },
  { what: 'a click with no actions', body: payload(click({ actions: [] })), status: 400 },
  { what: 'a click whose action is null', body: payload(click({ actions: [null] })), status: 400 },
  { what: 'a click with user null', body: payload(click({ user: null })), status: 400 },
  { what: 'a click with a user without an ID', body: payload(click({ user: {} })), status: 400 },
  { what: 'a click with channel null', body: payload(click({ channel: null })), status: 400 },
  { what: 'a click with event null', body: payload(click({ event: null })), status: 400 },
  { what: 'a click whose response_url is a number', body: payload(click({ response_url: 1 })), status: 400 },
  { what: 'a submission with view null', body: payload(submission({ view: null })), status: 400 },
  { what: 'a submission with user null', body: payload(submission({ user: null })), status: 400 },
  { what: 'a submission with state null', body: payload(submission({}, { state: null })), status: 400 },
  {
    what: 'a submission with response_urls null',
    body: payload(submission({ response_urls: null })),
    status: 400,
  },
  {
    what: 'a submission whose private_metadata is not text',
    body: payload(submission({}, { private_metadata: { responseUrl: 'x' } })),
    status: 400,
  },
  {
    what: 'an event callback with event null',
    body: JSON.stringify({ type: 'event_callback', event: null }),
    contentType: JSON_TYPE,
    status: 400,
  },
  {
    what: 'an event whose channel is null',
    body: JSON.stringify(
      eventCallback({ type: 'app_home_opened', user: CAST.helpdesk, tab: 'home', channel: null }),
    ),
    contentType: JSON_TYPE,
    status: 400,
  },
  {
    what: 'an event whose item is null',
    body: JSON.stringify(eventCallback({ type: 'reaction_added', item: null })),
    contentType: JSON_TYPE,
    status: 400,
  },
  {
    what: 'an app_home_opened without a user',
    body: JSON.stringify(eventCallback({ type: 'app_home_opened', tab: 'home' })),
    contentType: JSON_TYPE,
    status: 400,
  },
  { what: 'a command without a user', body: new URLSearchParams(commandWithoutUser).toString(), status: 400 },
  { what: 'a command with a field sent twice', body: `${command}&user_id=${CAST.employee}`, status: 400 },
  { what: 'a command with an event field', body: `${command}&event=x`, status: 400 },
  { what: 'an empty body', body: '', status: 400 },
  // Unsigned: Bolt's own verification answers, as before.
  { what: 'an unsigned payload that is JSON null', body: 'payload=null', signed: false, status: 401 },
  { what: 'an unsigned JSON null', body: 'null', contentType: JSON_TYPE, signed: false, status: 401 },
];

/** `ssl_check=1` needs no signature; whatever rides along must change nothing (bolt-js #2897). */
const SSL_CHECKS: Case[] = [
  { what: 'alone', body: 'ssl_check=1&token=x', signed: false, status: 200 },
  { what: 'carrying a click', body: `ssl_check=1&${payload(click())}`, signed: false, status: 200 },
  { what: 'carrying a null payload', body: 'ssl_check=1&payload=null', signed: false, status: 200 },
  { what: 'carrying a command', body: `ssl_check=1&${command}`, signed: false, status: 200 },
];

describe('e2e: malformed requests', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await testWorld();
    world.logs.clear();
  });
  afterEach(() => world.stop());

  async function send(c: Case) {
    return world.driver.postRaw(c.body, c.contentType ?? FORM, c.signed === false ? false : {});
  }

  async function expectNothingHappened() {
    expect(world.slack.calls, 'no call to Slack').to.deep.equal([]);
    expect(world.vendor.calls, 'no call to the vendor').to.deep.equal([]);
    expect(await world.store.listByRequester(CAST.helpdesk, 10), 'no request').to.deep.equal([]);
  }

  /** The process is alive and serving: a real command still opens the modal. */
  async function expectStillServing() {
    const answer = await world.driver.command(CAST.helpdesk, '1001', CAST.general);
    expect(answer.status).to.equal(200);
    expect(world.slack.views, 'the modal opened').to.have.length(1);
  }

  for (const c of MALFORMED) {
    worldTest(`answers ${c.status} to ${c.what}, logs one line, and goes on serving`, async () => {
      const answer = await send(c);
      expect(answer.status).to.equal(c.status);
      expect(answer.body).to.equal('');
      const lines = world.logs.lines();
      expect(lines, world.logs.text()).to.have.length(1);
      expect(lines[0]?.level).to.equal('warn');
      expect(world.logs.text(), 'no part of the body is logged').not.to.contain('forged');
      await expectNothingHappened();
      await expectStillServing();
    });
  }

  for (const c of SSL_CHECKS) {
    worldTest(`answers an unsigned ssl_check ${c.what} with 200, and does nothing`, async () => {
      const answer = await send(c);
      expect(answer.status).to.equal(200);
      expect(world.logs.lines()).to.deep.equal([]);
      await expectNothingHappened();
      await expectStillServing();
    });
  }

  worldTest('passes a well-formed event through: app_home_opened publishes the Home tab', async () => {
    const home = eventCallback({
      type: 'app_home_opened',
      user: CAST.helpdesk,
      channel: 'DUHANA',
      tab: 'home',
    });
    const answer = await send({
      what: 'an event',
      body: JSON.stringify(home),
      contentType: JSON_TYPE,
      status: 200,
    });
    expect(answer.status).to.equal(200);
    expect(world.slack.callsTo('views.publish')[0]?.args, 'the listener published').to.include({
      user_id: CAST.helpdesk,
    });
  });

  worldTest('passes a well-formed click through to its listener', async () => {
    const responseUrl = world.slack.issueResponseUrl(CAST.helpdesk, CAST.general);
    const answer = await send({
      what: 'a click',
      body: payload(click({ response_url: responseUrl })),
      status: 200,
    });
    expect(answer.status).to.equal(200);
    expect(world.slack.callsTo('response_url')[0]?.args, 'the listener answered').to.include({
      delete_original: true,
    });
  });
});
