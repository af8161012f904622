import { expect } from 'chai';
import type { Acknowledgement, Driver } from '../../sandbox/slack-driver.js';
import { CAST } from '../../sandbox/world.js';
import { testWorld, worldTest, type TestSocketWorld, type TestWorld } from '../helpers/world.js';
import { HEAD_OFFICE } from '../helpers/requests.js';
const EVIL_TEAM = 'T0EVIL0001';
const OTHER_APP = 'A0OTHERAPP';

/** A change to a request body that makes it name another workspace, organisation or app. */
type Foreign = (body: Record<string, unknown>) => Record<string, unknown>;

const COMMANDS: Array<[string, Foreign]> = [
  ['team_id', (form) => ({ ...form, team_id: EVIL_TEAM })],
  ['api_app_id', (form) => ({ ...form, api_app_id: OTHER_APP })],
  ['enterprise_id', (form) => ({ ...form, enterprise_id: 'E0EVIL0001', is_enterprise_install: 'false' })],
];

const INTERACTIONS: Array<[string, Foreign]> = [
  ['team.id and api_app_id', (p) => ({ ...p, team: { id: EVIL_TEAM }, api_app_id: OTHER_APP })],
  ['team.id', (p) => ({ ...p, team: { id: EVIL_TEAM, domain: 'evil' } })],
  ['api_app_id', (p) => ({ ...p, api_app_id: OTHER_APP })],
  ['user.team_id', (p) => ({ ...p, user: { ...(p.user as object), team_id: EVIL_TEAM } })],
  [
    'an org-wide install of another organisation',
    (p) => ({ ...p, team: null, enterprise: { id: 'E0EVIL0001' }, is_enterprise_install: true }),
  ],
];

const EVENTS: Array<[string, Foreign]> = [
  ['team_id', (b) => ({ ...b, team_id: EVIL_TEAM })],
  ['api_app_id', (b) => ({ ...b, api_app_id: OTHER_APP })],
  [
    'authorizations',
    (b) => ({ ...b, authorizations: [{ team_id: EVIL_TEAM, user_id: 'UBOT2', is_bot: true }] }),
  ],
];

/**
 * Slack's own, correctly signed requests for another install of an app that shares the signing
 * secret: each is acknowledged (200, nothing in it) and does nothing, with one log line.
 */
function refusesForeignRequests(
  open: () => Promise<TestWorld | TestSocketWorld>,
  emptyAck: (answer: Acknowledgement & { status?: number; body?: string }) => void,
) {
  let world: TestWorld | TestSocketWorld;
  beforeEach(async () => {
    world = await open();
  });
  afterEach(() => world.stop());

  const driver = () => world.driver as Driver<Acknowledgement>;
  const refusals = () =>
    world.logs.lines().filter((line) => line.message === 'refused a request for another workspace or app');

  for (const [what, foreign] of COMMANDS) {
    worldTest(`refuses /sip-reset with a foreign ${what}: no modal, no Slack call`, async () => {
      const form = driver().commandForm(CAST.helpdesk, '1001', CAST.general);
      const calls = world.slack.calls.length;
      emptyAck(await driver().sendCommand(foreign(form) as typeof form));
      expect(world.slack.calls.slice(calls)).to.deep.equal([]);
      expect(refusals()).to.have.length(1);
    });
  }

  for (const [what, foreign] of INTERACTIONS) {
    worldTest(`refuses a modal submission with a foreign ${what}: no request, no vendor call`, async () => {
      await driver().command(CAST.helpdesk, '1001', CAST.general);
      const calls = world.slack.calls.length;
      const submission = driver().modalSubmission(CAST.helpdesk, { account: '1001', app: HEAD_OFFICE });
      emptyAck(await driver().sendInteraction(foreign(submission)));
      expect(world.vendor.calls).to.deep.equal([]);
      expect(world.slack.calls.slice(calls)).to.deep.equal([]);
      expect(
        Object.values(await world.store.countByStatus(['pending', 'approved', 'resetting', 'completed'])),
      ).to.deep.equal([0, 0, 0, 0]);
      expect(refusals()).to.have.length(1);
      // The same submission for this workspace is served: the refusal was about the team, not the form.
      await driver().sendInteraction(submission);
      expect(world.vendor.calls).to.have.length(1);
    });
  }

  worldTest('refuses a click from another workspace: nothing removed, nothing said', async () => {
    await driver().command(CAST.helpdesk, '1001', CAST.general);
    await driver().submitModal(CAST.helpdesk, { account: '1001', app: HEAD_OFFICE });
    const message = world.lastPrivate(CAST.helpdesk, 'sip_reset_remove_password');
    const calls = world.slack.calls.length;
    const click = driver().buttonClick(
      CAST.helpdesk,
      { kind: 'ephemeral', id: message.id },
      'sip_reset_remove_password',
    );
    emptyAck(await driver().sendInteraction({ ...click, team: { id: EVIL_TEAM }, api_app_id: OTHER_APP }));
    expect(world.slack.calls.slice(calls)).to.deep.equal([]);
    expect(world.lastPrivate(CAST.helpdesk, 'sip_reset_remove_password').deleted).to.equal(false);
    expect(refusals()).to.have.length(1);
  });

  for (const [what, foreign] of EVENTS) {
    worldTest(`refuses an event with a foreign ${what}: no Home published`, async () => {
      const body = {
        token: 'unused',
        team_id: 'T1',
        api_app_id: 'A1',
        type: 'event_callback',
        event_id: 'Ev1',
        event_time: 1,
        event: { type: 'app_home_opened', user: CAST.employee, channel: 'D1', tab: 'home', event_ts: '1.1' },
        authorizations: [{ team_id: 'T1', user_id: 'UBOT', is_bot: true }],
      };
      await driver().sendEvent(foreign(body));
      expect(world.slack.callsTo('views.publish')).to.deep.equal([]);
      expect(refusals()).to.have.length(1);
      await driver().sendEvent(body);
      expect(
        world.slack.callsTo('views.publish'),
        'the same event for this workspace is served',
      ).to.have.length(1);
    });
  }
}

describe('e2e: requests for another workspace or app', () => {
  describe('over HTTP', () => {
    refusesForeignRequests(
      () => testWorld(),
      (answer) => {
        expect(answer.status).to.equal(200);
        expect(answer.body).to.equal('');
      },
    );
  });

  describe('over Socket Mode', () => {
    refusesForeignRequests(
      () => testWorld({ mode: 'socket' }),
      (answer) => expect(answer.json()).to.deep.equal({}),
    );
  });
});
