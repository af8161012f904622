import { expect } from 'chai';
import fc from 'fast-check';
import { CAST } from '../../sandbox/world.js';
import { testWorld, type TestWorld, worldTest } from '../helpers/world.js';
import {
  expectNoServerError,
  expectStillServing,
  PEOPLE,
  RUNS,
  SEED,
  snapshot,
  UNLIMITED,
  whatTheyWereTold,
} from './attack.js';
import { HEAD_OFFICE } from '../helpers/requests.js';

const FORM = 'application/x-www-form-urlencoded';
/** Who may approve and deny (SIP_RESET_APPROVERS in the sandbox world: two people and the helpdesk group). */
const DECIDERS: readonly string[] = [CAST.approver, CAST.secondApprover, CAST.helpdesk];
const ACTIONS = [
  'sip_reset_approve',
  'sip_reset_deny',
  'sip_reset_cancel',
  'sip_reset_claim',
  'sip_reset_remove_password',
];

/** Text of any Unicode (lone surrogates included), control characters and length. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), maxLength: 50 }),
  fc.string({ unit: 'grapheme', minLength: 2000, maxLength: 4000 }),
  fc.constantFrom('', ' ', '1001', '9000', '1002', 'help', '\u0000', '1001\n1002', '<!channel>', '*1001*'),
);
const person = fc.constantFrom(...PEOPLE);
/** Values that are not what a field holds. */
const wrongValue = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.integer(),
  fc.boolean(),
  fc.string({ maxLength: 10 }),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 3 }),
);

type Payload = Record<string, unknown>;

/** Every path of an object's leaves and branches, for "this field missing, null or wrong". */
function pathsOf(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const inner = Object.entries(value).flatMap(([key, child]) => pathsOf(child, [...prefix, key]));
  return prefix.length > 0 ? [prefix, ...inner] : inner;
}

function withChange(value: unknown, path: string[], replacement: unknown): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = path.at(-1) as string;
  if (replacement === undefined) delete node[last];
  else node[last] = replacement;
  return copy;
}

describe('attack: fuzzed input through the signed receiver', function () {
  this.timeout(120_000);
  let world: TestWorld;

  beforeEach(async () => {
    world = await testWorld({ env: UNLIMITED });
  });
  afterEach(() => world.stop());
  /** A property over one world, which must still serve a plain command once the property holds. */
  const fuzzTest = (title: string, body: () => Promise<void>): Mocha.Test =>
    worldTest(title, async () => {
      await body();
      await expectStillServing(world);
    });

  fuzzTest('answers a command of any text privately, and never resets', async () => {
    await fc.assert(
      fc.asyncProperty(
        person,
        anyText,
        fc.constantFrom(CAST.general, CAST.elsewhere, 'CNOPE'),
        async (user, text, channel) => {
          const before = snapshot(world, user);
          const answer = await world.driver.command(user, text, channel);
          expectNoServerError(answer, 'a command');
          if (answer.status === 200) expect(whatTheyWereTold(world, user, answer, before)).to.be.a('string');
          expect(world.vendor.calls).to.have.length(0);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  fuzzTest(
    'answers a modal of any account and reason with field errors or a private message, and resets only for the helpdesk',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          person,
          anyText,
          anyText,
          fc.constantFrom(HEAD_OFFICE, 'Xy12ab', '', 'nope'),
          async (user, account, reason, app) => {
            await world.driver.command(user, '', CAST.general);
            const before = snapshot(world, user);
            const calls = world.vendor.calls.length;
            const answer = await world.driver.submitModal(user, { account, reason, app });
            expectNoServerError(answer, 'a submission');
            expect(whatTheyWereTold(world, user, answer, before), 'told nothing').to.be.a('string');
            const made = world.vendor.calls.length - calls;
            // The helpdesk resets directly, and so does Carol her own 1002; everyone else needs approval.
            expect(made).to.be.at.most(user === CAST.helpdesk || user === CAST.owner ? 1 : 0);
          },
        ),
        { seed: SEED, numRuns: RUNS },
      );
      // Every password issued went privately to its requester once, and nowhere else.
      for (const password of world.vendor.issued) {
        const holders = world.slack.ephemerals.filter((e) => JSON.stringify(e).includes(password));
        expect(holders, 'one private delivery').to.have.length(1);
        expect([CAST.helpdesk, CAST.owner]).to.include(holders[0]?.user);
      }
    },
  );

  fuzzTest(
    'refuses an interactive payload with any field missing, null or of the wrong type, without a 5xx or a reset',
    async () => {
      await world.driver.command(CAST.employee, '1001', CAST.general);
      const submission = world.driver.modalSubmission(CAST.employee, {
        account: '1001',
        app: HEAD_OFFICE,
        reason: 'x',
      });
      await world.driver.sendInteraction(submission);
      const message = world.lastMessage(CAST.approvals);
      const click = world.driver.buttonClick(
        CAST.stranger,
        { kind: 'message', channel: message.channel, ts: message.ts },
        'sip_reset_approve',
      );
      await world.driver.command(CAST.employee, '1003', CAST.general);
      const fresh = world.driver.modalSubmission(CAST.employee, {
        account: '1003',
        app: HEAD_OFFICE,
        reason: 'x',
      });
      const bases = [submission, click, fresh];
      const shapes = fc
        .constantFrom(...bases)
        .chain((base) => fc.tuple(fc.constant(base), fc.constantFrom(...pathsOf(base)), wrongValue));
      await fc.assert(
        fc.asyncProperty(shapes, async ([base, path, replacement]) => {
          const payload = withChange(base, path, replacement) as Record<string, unknown>;
          const answer = await world.driver.post({ payload: JSON.stringify(payload) });
          expectNoServerError(answer, `${path.join('.')} = ${JSON.stringify(replacement)}`);
          expect(
            world.vendor.calls,
            'an employee’s request and a stranger’s click reset nothing',
          ).to.have.length(0);
        }),
        { seed: SEED, numRuns: RUNS * 2 },
      );
      // The stranger approved nothing however the click was bent.
      const [request] = await world.store.listByRequester(CAST.employee, 5);
      expect((await world.store.listApprovals(request?.id ?? '')).map((a) => a.approverId)).not.to.include(
        CAST.stranger,
      );
    },
  );

  fuzzTest(
    'answers unknown action IDs, callback IDs and payload types with a 4xx or nothing, at once',
    async () => {
      await world.driver.command(CAST.employee, '1001', CAST.general);
      await world.driver.submitModal(CAST.employee, { account: '1001', app: HEAD_OFFICE, reason: 'x' });
      const message = world.lastMessage(CAST.approvals);
      const click = world.driver.buttonClick(
        CAST.approver,
        { kind: 'message', channel: message.channel, ts: message.ts },
        'sip_reset_approve',
      );
      await world.driver.command(CAST.helpdesk, '1001', CAST.general);
      const submission = world.driver.modalSubmission(CAST.helpdesk, { account: '1003', app: HEAD_OFFICE });
      const id = fc.oneof(
        fc.string({ unit: 'binary', maxLength: 60 }),
        fc.constantFrom(...ACTIONS.map((a) => `${a} `), ...ACTIONS.map((a) => a.toUpperCase())),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('action', 'callback', 'type', 'command'),
          id,
          async (what, value) => {
            const payload = structuredClone(what === 'callback' ? submission : click) as Payload;
            if (what === 'action') (payload.actions as [Record<string, unknown>])[0].action_id = value;
            if (what === 'callback') (payload.view as Record<string, unknown>).callback_id = value;
            if (what === 'type') payload.type = value;
            const started = Date.now();
            const answer =
              what === 'command'
                ? await world.driver.post({
                    ...world.driver.commandForm(CAST.helpdesk, '1001', CAST.general),
                    command: value,
                  })
                : await world.driver.post({ payload: JSON.stringify(payload) });
            expectNoServerError(answer, `${what} ${JSON.stringify(value)}`);
            expect(
              Date.now() - started,
              'answered without waiting for a listener that is not there',
            ).to.be.below(2500);
            expect(world.vendor.calls).to.have.length(0);
          },
        ),
        { seed: SEED, numRuns: RUNS },
      );
      const [request] = await world.store.listByRequester(CAST.employee, 1);
      expect(request?.status, 'no bent click approved it').to.equal('pending');
    },
  );

  fuzzTest('refuses wrong content types and huge bodies with a 4xx', async () => {
    const form = new URLSearchParams(
      world.driver.commandForm(CAST.helpdesk, '1001', CAST.general),
    ).toString();
    const contentType = fc.oneof(
      fc.constantFrom(
        'application/json',
        'text/plain',
        'multipart/form-data',
        '',
        'application/x-www-form-urlencoded; charset=utf-16',
        'APPLICATION/X-WWW-FORM-URLENCODED',
      ),
      fc.string({ maxLength: 40 }).filter((t) => /^[\x20-\x7e]*$/.test(t)),
    );
    await fc.assert(
      fc.asyncProperty(contentType, async (type) => {
        const answer = await world.driver.postRaw(form, type);
        expectNoServerError(answer, `content type ${type}`);
        expect(world.vendor.calls).to.have.length(0);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // Around Bolt's 4 MB limit, and far past it: a body is refused, never read into memory whole.
    const size = fc.oneof(
      fc.integer({ min: 4 * 1024 * 1024 - 100, max: 4 * 1024 * 1024 + 100 }),
      fc.integer({ min: 1, max: 16 * 1024 * 1024 }),
    );
    await fc.assert(
      fc.asyncProperty(size, fc.constantFrom('text', 'payload'), async (bytes, field) => {
        const answer = await world.driver.post({
          ...(field === 'text'
            ? { ...world.driver.commandForm(CAST.helpdesk, '', CAST.general), text: 'x'.repeat(bytes) }
            : { payload: `{"type":"block_actions","x":"${'y'.repeat(bytes)}"}` }),
        });
        expectNoServerError(answer, `a body of ${bytes} bytes`);
        if (bytes > 4 * 1024 * 1024) expect(answer.status).to.equal(413);
      }),
      { seed: SEED, numRuns: 20 },
    );
  });

  fuzzTest('refuses stale, forged and replayed signatures, and a replay resets nothing more', async () => {
    const now = Math.floor(Date.now() / 1000);
    // A timestamp more than five minutes from now is refused either way, however well it is signed.
    const offset = fc.oneof(
      fc.integer({ min: -86_400, max: -301 }),
      fc.integer({ min: 301, max: 10 * 365 * 86_400 }),
    );
    await fc.assert(
      fc.asyncProperty(offset, fc.boolean(), async (skew, wrongSecret) => {
        const form = world.driver.commandForm(CAST.helpdesk, '1001', CAST.general);
        const answer = await world.driver.post(form, {
          timestamp: now + skew,
          ...(wrongSecret ? { secret: 'not-the-secret' } : {}),
        });
        expect(answer.status).to.equal(401);
        const forged = await world.driver.post(form, { secret: `${'x'.repeat(Math.abs(skew) % 40)}` });
        expect(forged.status).to.equal(401);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(world.slack.views, 'no stale or forged command opened a modal').to.have.length(0);
    await world.driver.command(CAST.helpdesk, '1001', CAST.general);
    await world.driver.submitModal(CAST.helpdesk, { account: '1001', app: HEAD_OFFICE });
    for (let i = 0; i < 20; i += 1) expectNoServerError(await world.driver.replay(), 'a replay');
    expect(world.vendor.calls, 'a replayed submission acts once').to.have.length(1);
  });

  fuzzTest(
    'answers an ssl_check, signed or not, with 200 and nothing else, whatever it smuggles',
    async () => {
      const smuggled = fc.dictionary(
        fc.constantFrom(
          'command',
          'text',
          'user_id',
          'payload',
          'trigger_id',
          'response_url',
          'channel_id',
          'token',
          'type',
        ),
        fc.oneof(
          fc.constantFrom(
            '/sip-reset',
            '1001',
            CAST.helpdesk,
            JSON.stringify({
              type: 'block_actions',
              actions: [{ action_id: 'sip_reset_claim', value: 'x' }],
            }),
          ),
          fc.string({ maxLength: 30 }),
        ),
      );
      await fc.assert(
        fc.asyncProperty(smuggled, fc.boolean(), async (fields, signed) => {
          const body = new URLSearchParams({ ...fields, ssl_check: '1' }).toString();
          const answer = await world.driver.postRaw(body, FORM, signed ? {} : false);
          expect(answer.status).to.equal(200);
          expect(
            world.slack.calls.filter((c) => c.method !== 'auth.test' && c.method !== 'conversations.info'),
          ).to.have.length(0);
          expect(world.vendor.calls).to.have.length(0);
        }),
        { seed: SEED, numRuns: RUNS },
      );
    },
  );

  fuzzTest(
    'lets no one act on a request by naming it in a button or another workspace’s team ID',
    async () => {
      // Requests of two people, pending and approved, whose IDs the attacker puts in any button.
      for (const [user, account] of [
        [CAST.employee, '1001'],
        [CAST.owner, '1003'],
        [CAST.employee, '1002'],
      ] as const) {
        await world.driver.command(user, account, CAST.general);
        await world.driver.submitModal(user, { account, app: HEAD_OFFICE, reason: 'lost it' });
      }
      const ids = (
        await Promise.all([CAST.employee, CAST.owner].map((u) => world.store.listByRequester(u, 10)))
      )
        .flat()
        .map((r) => r.id);
      const message = world.lastMessage(CAST.approvals);
      const approveOne = world.driver.buttonClick(
        CAST.approver,
        { kind: 'message', channel: message.channel, ts: message.ts },
        'sip_reset_approve',
      );
      await world.driver.sendInteraction(approveOne);
      const before = new Map(
        (await Promise.all(ids.map((id) => world.store.getRequest(id)))).map((r) => [r?.id, r?.status]),
      );
      const value = fc.oneof(fc.constantFrom(...ids), fc.string({ maxLength: 40 }), fc.uuid());
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(CAST.stranger, CAST.helpdesk),
          fc.constantFrom(...ACTIONS),
          value,
          fc.constantFrom('T1', 'T2OTHER', '', 'E1'),
          async (user, action, target, team) => {
            const click = structuredClone(approveOne) as Payload;
            click.user = { ...(click.user as object), id: user, team_id: team };
            click.team = { id: team };
            const [button] = click.actions as [Record<string, unknown>];
            button.action_id = action;
            button.value = target;
            click.trigger_id = world.slack.issueTrigger(user);
            const answer = await world.driver.sendInteraction(click);
            expectNoServerError(answer, `${user} ${action} ${target}`);
          },
        ),
        { seed: SEED, numRuns: RUNS },
      );
      // Neither a stranger nor the helpdesk owns these: only an approver's vote could move one, and
      // the helpdesk is an approver, so a pending request may be approved; nothing else may change.
      for (const id of ids) {
        const now = await world.store.getRequest(id);
        const was = before.get(id);
        if (now?.status !== was) expect([was, now?.status]).to.deep.equal(['pending', 'approved']);
      }
      expect(world.vendor.calls, 'nobody but a requester resets, and none clicked').to.have.length(0);
    },
  );

  fuzzTest(
    'answers Home tab clicks naming anyone’s request or any paging, with no response_url, by a message or a redrawn Home, and decides only as the clicker may',
    async () => {
      // Everyone's Home open; requests of three people, one protected (two approvals), one approved.
      for (const user of PEOPLE) await world.driver.openHome(user);
      for (const [user, account, app] of [
        [CAST.employee, '1001', HEAD_OFFICE],
        [CAST.owner, '1003', HEAD_OFFICE],
        [CAST.approver, '2001', 'Xy12ab'],
        [CAST.employee, '9000', HEAD_OFFICE],
        [CAST.employee, '1002', HEAD_OFFICE],
      ] as const) {
        await world.driver.command(user, account, CAST.general);
        await world.driver.submitModal(user, { account, app, reason: 'lost it' });
      }
      const requests = (
        await Promise.all(
          [CAST.employee, CAST.owner, CAST.approver].map((u) => world.store.listByRequester(u, 10)),
        )
      ).flat();
      const approved = requests.find((r) => r.account === '1002');
      await world.driver.homeClick(CAST.secondApprover, 'sip_reset_approve', approved?.id, true);
      const ids = requests.map((r) => r.id);
      const number = fc.oneof(
        fc.integer({ min: -5, max: 300 }),
        fc.constantFrom(10_001, Number.MAX_SAFE_INTEGER, -0, 0.5, 1e308),
        fc.string({ maxLength: 8 }),
        fc.constant(null),
      );
      // A list's place as the buttons carry it ({n, at, id}), well-formed or not: a key may name
      // another person's request, or none, and must still show only what this person may see.
      const place = fc.oneof(
        number,
        fc.record(
          {
            n: number,
            at: fc.oneof(number, fc.constantFrom(...requests.map((r) => r.createdAt))),
            id: fc.oneof(fc.constantFrom(...ids), fc.string({ maxLength: 120 }), number),
            extra: fc.string(),
          },
          { requiredKeys: [] },
        ),
      );
      const paging = fc.oneof(
        fc
          .record(
            { mine: place, queue: place, decisions: place, resets: place, extra: fc.string() },
            { requiredKeys: [] },
          )
          .map((value) => JSON.stringify(value)),
        fc.json({ maxDepth: 2 }),
        fc.string({ unit: 'binary', maxLength: 60 }),
      );
      const click = fc.oneof(
        fc.record({
          action: fc.constantFrom('sip_reset_approve', 'sip_reset_deny', 'sip_reset_cancel'),
          value: fc.oneof(
            { weight: 4, arbitrary: fc.constantFrom(...ids) },
            fc.string({ maxLength: 40 }),
            fc.uuid(),
          ),
          submitDenial: fc.boolean(),
        }),
        fc.record({
          action: fc.constantFrom('sip_reset_home_older', 'sip_reset_home_newest'),
          value: paging,
          submitDenial: fc.constant(false),
        }),
      );
      const statuses = async () =>
        new Map(
          await Promise.all(
            ids.map(
              async (id) =>
                [
                  id,
                  [(await world.store.getRequest(id))?.status, (await world.store.listApprovals(id)).length],
                ] as const,
            ),
          ),
        );
      let decided = 0;
      await fc.assert(
        fc.asyncProperty(person, click, async (user, { action, value, submitDenial }) => {
          const before = { ...snapshot(world, user), published: world.slack.homes.get(user)?.publishes ?? 0 };
          const was = await statuses();
          const answer = await world.driver.homeClick(user, action, value, true);
          expectNoServerError(answer, `${user} ${action} ${value}`);
          const modal = world.slack.views.length > before.views;
          if (modal && submitDenial) {
            const denial = await world.driver.submitModal(user, { deny_reason: 'not yours' });
            expectNoServerError(denial, `${user} denies ${value}`);
          }
          const told =
            whatTheyWereTold(world, user, answer, before) ??
            ((world.slack.homes.get(user)?.publishes ?? 0) > before.published ? 'a redrawn Home' : undefined);
          expect(told, `${user} ${action} ${value}: told nothing`).to.be.a('string');
          // Every change is one the clicker may make: an approver's vote on someone else's request,
          // or a requester withdrawing their own.
          for (const [id, [status, votes]] of await statuses()) {
            const [statusWas, votesWere] = was.get(id) ?? [];
            if (status === statusWas && votes === votesWere) continue;
            decided += 1;
            const request = requests.find((r) => r.id === id);
            const own = request?.requesterId === user;
            const why = `${user} ${action} on ${request?.requesterId}'s ${statusWas} ${request?.account}: ${status}`;
            expect(value, why).to.equal(id);
            if (status === 'cancelled') expect([action, own], why).to.deep.equal(['sip_reset_cancel', true]);
            else if (status === 'denied')
              expect([action, own, DECIDERS.includes(user)], why).to.deep.equal([
                'sip_reset_deny',
                false,
                true,
              ]);
            else {
              expect([action, own, DECIDERS.includes(user)], why).to.deep.equal([
                'sip_reset_approve',
                false,
                true,
              ]);
              expect(statusWas, why).to.equal('pending');
            }
          }
        }),
        { seed: SEED, numRuns: RUNS },
      );
      expect(decided, 'some clicks were allowed to decide').to.be.above(0);
      expect(world.vendor.calls, 'no Home click resets').to.have.length(0);
      // Opened again, each Home shows its person's requests as they now stand.
      for (const request of requests) {
        await world.driver.openHome(request.requesterId);
        const now = await world.store.getRequest(request.id);
        const home = JSON.stringify(world.slack.homes.get(request.requesterId)?.view.blocks);
        expect(home, `${request.account} shown`).to.contain(`*${request.account}*`);
        if (now?.status === 'cancelled') expect(home).to.contain('Cancelled by the requester');
        if (now?.status === 'denied') expect(home).to.contain('Reason: not yours');
      }
    },
  );
});
