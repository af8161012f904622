import { expect } from 'chai';
import type { StubPhone } from '../../sandbox/itnio-stub.js';
import type { Driver, PickedOption } from '../../sandbox/slack-driver.js';
import type { Acknowledgement } from '../../sandbox/slack-driver.js';
import { CAST, type WorldOptions } from '../../sandbox/world.js';
import { en } from '../../src/i18n/en/index.js';
import { Cleanup } from '../helpers/cleanup.js';
import { DATABASE_KINDS } from '../helpers/databases.js';
import { testWorld, worldOn, worldTest, type TestSocketWorld, type TestWorld } from '../helpers/world.js';
import { HEAD_OFFICE } from '../helpers/requests.js';
const WAREHOUSE = 'Xy12ab';

/** 250 phones in Head office (1003 is the reception desk; Carol owns 1002), one in Warehouse. */
function headOfficePhones(): StubPhone[] {
  return Array.from({ length: 250 }, (_, i) => ({
    account: String(1000 + i),
    phoneName: i === 3 ? 'Reception desk' : i === 2 ? "Carol's desk" : `Desk ${i}`,
    groupName: i % 2 ? 'Head office' : 'Annex',
    password: `pw-${i}`,
  }));
}

const PHONES = {
  [HEAD_OFFICE]: headOfficePhones(),
  [WAREHOUSE]: [{ account: '2001', phoneName: 'Loading bay', groupName: 'Warehouse', password: 'pw-w' }],
};
const ACCOUNTS = Object.fromEntries(
  Object.entries(PHONES).map(([app, list]) => [app, list.map((p) => p.account)]),
);

type AnyWorld = TestWorld | TestSocketWorld;
type AnyDriver = Driver<Acknowledgement>;

const modalOf = (world: AnyWorld, user: string) => {
  const opened = world.driver.openedModal(user);
  if (!opened) throw new Error(`no modal for ${user}`);
  return opened.view as { blocks: Array<Record<string, unknown>> };
};
const accountBlock = (world: AnyWorld, user: string) => {
  // The form's first input: a section saying what submitting does comes before it.
  const block = modalOf(world, user).blocks.find((b) => b.type === 'input') as {
    block_id: string;
    element: { type: string; initial_option?: PickedOption; initial_value?: string };
  };
  return { blockId: block.block_id, ...block.element };
};
const appSelect = (world: AnyWorld, user: string) =>
  modalOf(world, user).blocks.find((b) => b.block_id === 'app') as
    { dispatch_action?: boolean; element: { action_id: string; initial_option?: PickedOption } } | undefined;
const values = (options: PickedOption[]) => options.map((o) => o.value);

async function directoryWorld(
  options: Partial<Omit<WorldOptions, 'mode'>> & { mode?: 'http' | 'socket' } = {},
): Promise<AnyWorld> {
  const { mode, ...rest } = options;
  const settings = { directory: true, phones: PHONES, accounts: ACCOUNTS, ...rest };
  const world =
    mode === 'socket' ? await testWorld({ ...settings, mode: 'socket' }) : await testWorld(settings);
  await world.sipReset.services.phoneDirectory?.refresh();
  return world;
}

for (const { kind } of DATABASE_KINDS) {
  for (const mode of ['http', 'socket'] as const) {
    describe(`e2e: the form's phone picker, on ${kind}, over ${mode === 'http' ? 'HTTP' : 'Socket Mode'}`, () => {
      let world: AnyWorld;
      const cleanup = new Cleanup();
      beforeEach(async function () {
        world = await worldOn(this, cleanup, kind, (databaseUrl) => directoryWorld({ databaseUrl, mode }));
      });
      afterEach(() => cleanup.run());

      worldTest(
        'offers the chosen application’s phones as the person types, from the database alone, and submits the one picked',
        async () => {
          const driver = world.driver as AnyDriver;
          const queries = world.vendor.queries.length;
          await driver.command(CAST.employee, '', CAST.general);
          expect(accountBlock(world, CAST.employee)).to.include({
            blockId: 'account',
            type: 'plain_text_input',
          });
          expect(appSelect(world, CAST.employee)?.dispatch_action).to.equal(true);

          await driver.choose(CAST.employee, 'app', HEAD_OFFICE);
          expect(accountBlock(world, CAST.employee)).to.include({
            blockId: `account_phone:${HEAD_OFFICE}`,
            type: 'external_select',
          });
          expect(await driver.suggest(CAST.employee, 'recep')).to.deep.equal([
            {
              text: { type: 'plain_text', text: '1003 · Reception desk · Head office', emoji: false },
              value: '1003',
            },
          ]);
          expect(values(await driver.suggest(CAST.employee, '1003'))).to.deep.equal(['1003']);
          await driver.pick(CAST.employee, '1003', 'Reception');
          await driver.submitModal(CAST.employee, { reason: 'the desk phone lost its password' });

          const [request] = await world.store.listByRequester(CAST.employee, 5);
          expect(request).to.include({ account: '1003', appId: HEAD_OFFICE, status: 'pending' });
          expect(world.vendor.queries.length, 'no sipQuery while the person typed').to.equal(queries);
          expect(world.vendor.calls, 'no sipReset').to.have.length(0);
          expect(JSON.stringify(world.lastMessage(CAST.approvals).blocks)).to.contain(
            'Reception desk · Head office',
          );
        },
      );
    });
  }
}

for (const { kind } of DATABASE_KINDS) {
  describe(`e2e: what the phone picker offers, on ${kind}`, () => {
    let world: AnyWorld;
    const cleanup = new Cleanup();
    beforeEach(async function () {
      world = await worldOn(this, cleanup, kind, (databaseUrl) => directoryWorld({ databaseUrl }));
    });
    afterEach(() => cleanup.run());

    worldTest("puts the person's own phones first (the owners file), then the rest by account", async () => {
      await world.driver.command(CAST.owner, '', CAST.general);
      await world.driver.choose(CAST.owner, 'app', HEAD_OFFICE);
      expect(values(await world.driver.suggest(CAST.owner, '100')).slice(0, 3)).to.deep.equal([
        '1002',
        '1000',
        '1001',
      ]);
      await world.driver.command(CAST.employee, '', CAST.general);
      await world.driver.choose(CAST.employee, 'app', HEAD_OFFICE);
      expect(values(await world.driver.suggest(CAST.employee, '100')).slice(0, 3)).to.deep.equal([
        '1000',
        '1001',
        '1002',
      ]);
    });

    worldTest('offers at most 100 phones, each within Slack’s limits', async () => {
      await world.driver.command(CAST.employee, '', CAST.general);
      await world.driver.choose(CAST.employee, 'app', HEAD_OFFICE);
      const offered = await world.driver.suggest(CAST.employee, '1');
      expect(offered).to.have.length(100);
      expect(new Set(values(offered)).size).to.equal(100);
      expect(values(await world.driver.suggest(CAST.employee, 'annex'))).to.have.length(100);
      expect(values(await world.driver.suggest(CAST.employee, 'desk 24'))).to.deep.equal([
        '1024',
        ...Array.from({ length: 10 }, (_, i) => String(1240 + i)),
      ]);
    });

    worldTest(
      'searches the application chosen: switching rebuilds the field, drops a phone the other does not list, and refuses a pick from before the switch',
      async () => {
        await world.driver.command(CAST.employee, '', CAST.general);
        await world.driver.choose(CAST.employee, 'app', HEAD_OFFICE);
        await world.driver.pick(CAST.employee, '1003', 'recep');
        const beforeSwitch = world.driver.modalSubmission(CAST.employee, { app: WAREHOUSE, reason: 'x' });

        await world.driver.choose(CAST.employee, 'app', WAREHOUSE);
        const field = accountBlock(world, CAST.employee);
        expect(field).to.include({ blockId: `account_phone:${WAREHOUSE}`, type: 'external_select' });
        expect(field.initial_option, 'the phone picked in Head office').to.equal(undefined);
        expect(await world.driver.suggest(CAST.employee, '1003')).to.deep.equal([]);
        expect(values(await world.driver.suggest(CAST.employee, 'load'))).to.deep.equal(['2001']);

        // Submitted before the rebuild reached the person: the pick was among Head office's phones.
        const stale = await world.driver.sendInteraction(beforeSwitch);
        expect(stale.json()).to.deep.equal({
          response_action: 'errors',
          errors: { [`account_phone:${HEAD_OFFICE}`]: en.phoneDirectory.pickAgain },
        });

        // Picked again after the switch, the phone of the application chosen is submitted.
        await world.driver.choose(CAST.employee, 'app', HEAD_OFFICE);
        await world.driver.pick(CAST.employee, '1001', 'Desk 1');
        await world.driver.choose(CAST.employee, 'app', WAREHOUSE);
        await world.driver.pick(CAST.employee, '2001', '2001');
        await world.driver.submitModal(CAST.employee, { reason: 'x' });
        const [request] = await world.store.listByRequester(CAST.employee, 5);
        expect(request).to.include({ account: '2001', appId: WAREHOUSE });
        expect(await world.store.listByRequester(CAST.employee, 5)).to.have.length(1);
      },
    );

    worldTest(
      'prefills `/sip-reset 1003` as the picked phone of the one application listing it; an unlisted account as text',
      async () => {
        await world.driver.command(CAST.employee, '1003', CAST.general);
        expect(accountBlock(world, CAST.employee)).to.deep.include({
          blockId: `account_phone:${HEAD_OFFICE}`,
          type: 'external_select',
          initial_option: {
            text: { type: 'plain_text', text: '1003 · Reception desk · Head office', emoji: false },
            value: '1003',
          },
        });
        expect(appSelect(world, CAST.employee)?.element.initial_option?.value).to.equal(HEAD_OFFICE);
        await world.driver.submitModal(CAST.employee, { reason: 'x' });
        expect(await world.store.listByRequester(CAST.employee, 5)).to.have.length(1);

        await world.driver.command(CAST.helpdesk, '7777', CAST.general);
        expect(accountBlock(world, CAST.helpdesk)).to.include({
          blockId: 'account',
          type: 'plain_text_input',
          initial_value: '7777',
        });
        expect(appSelect(world, CAST.helpdesk)?.element.initial_option).to.equal(undefined);
      },
    );
  });
}

describe('e2e: the phone picker with one voice application', () => {
  let world: AnyWorld;
  afterEach(() => world.stop());

  worldTest('is the account field at once, and prefills a listed phone', async () => {
    world = await directoryWorld({ env: { ITNIO_APP_IDS: `Head office=${HEAD_OFFICE}` } });
    await world.driver.command(CAST.employee, '', CAST.general);
    expect(accountBlock(world, CAST.employee)).to.include({ type: 'external_select' });
    expect(appSelect(world, CAST.employee)).to.equal(undefined);
    expect(values(await world.driver.suggest(CAST.employee, 'Carol'))).to.deep.equal(['1002']);
    await world.driver.command(CAST.employee, '1002', CAST.general);
    expect(accountBlock(world, CAST.employee).initial_option?.value).to.equal('1002');
  });
});

describe('e2e: the account field stays free text', () => {
  let world: AnyWorld;
  afterEach(() => world.stop());

  worldTest('with the directory off', async () => {
    world = await testWorld({});
    await world.driver.command(CAST.employee, '1003', CAST.general);
    expect(accountBlock(world, CAST.employee)).to.include({
      type: 'plain_text_input',
      initial_value: '1003',
    });
    expect(appSelect(world, CAST.employee)?.dispatch_action).to.equal(undefined);
    expect(appSelect(world, CAST.employee)?.element.action_id).to.equal('value');
  });

  worldTest(
    'in HTTP mode unless SIP_RESET_PHONE_PICKER is on: an app set up before the options load URL',
    async () => {
      world = await directoryWorld({ env: { SIP_RESET_PHONE_PICKER: 'off' } });
      await world.driver.command(CAST.employee, '1003', CAST.general);
      expect(accountBlock(world, CAST.employee)).to.include({
        blockId: 'account',
        type: 'plain_text_input',
        initial_value: '1003',
      });
      expect(appSelect(world, CAST.employee)?.dispatch_action).to.equal(undefined);
    },
  );

  worldTest('for an application whose directory is empty', async () => {
    world = await directoryWorld({
      phones: { [HEAD_OFFICE]: PHONES[HEAD_OFFICE], [WAREHOUSE]: [] },
      accounts: { ...ACCOUNTS, [WAREHOUSE]: ['2001'] },
    });
    await world.driver.command(CAST.employee, '', CAST.general);
    await world.driver.choose(CAST.employee, 'app', WAREHOUSE, { account: '2001' });
    expect(accountBlock(world, CAST.employee)).to.include({ blockId: 'account', type: 'plain_text_input' });
    // A typed account Head office does not list stays typed; cleared, the field picks.
    await world.driver.choose(CAST.employee, 'app', HEAD_OFFICE);
    expect(accountBlock(world, CAST.employee)).to.include({
      type: 'plain_text_input',
      initial_value: '2001',
    });
    await world.driver.choose(CAST.employee, 'app', HEAD_OFFICE, { account: '' });
    expect(accountBlock(world, CAST.employee)).to.include({ type: 'external_select' });
  });
});

for (const mode of ['http', 'socket'] as const) {
  describe(`e2e: hostile block_suggestion payloads (${mode})`, () => {
    let world: AnyWorld;
    afterEach(() => world.stop());

    worldTest('get an empty list of options, never a crash', async () => {
      world = await directoryWorld({ mode });
      const actor = {
        team: { id: 'T1', domain: 'example' },
        user: { id: CAST.employee, name: 'alice', team_id: 'T1' },
        api_app_id: 'A1',
        token: 'verification-token-unused',
      };
      const good = {
        type: 'block_suggestion',
        ...actor,
        block_id: `account_phone:${HEAD_OFFICE}`,
        action_id: 'value',
        value: '1003',
        container: { type: 'view', view_id: 'V1' },
      };
      const hostile: Array<Record<string, unknown>> = [
        { ...good, block_id: 'account_phone:not-an-app' },
        { ...good, block_id: 'account_phone:__proto__' },
        { ...good, block_id: 42 },
        { ...good, block_id: 'account' },
        { ...good, action_id: 'sip_reset_approve' },
        { ...good, value: { $gt: '' } },
        { ...good, value: undefined },
        { ...good, user: { id: '__proto__', team_id: 'T1' } },
        { ...good, channel: null },
        { ...good, user: undefined },
      ];
      for (const payload of hostile) {
        const answer = await world.driver.sendInteraction(payload);
        if ('status' in answer) expect(answer.status, JSON.stringify(payload)).to.equal(200);
        expect(answer.json(), JSON.stringify(payload)).to.deep.equal({ options: [] });
      }
      // Typed, however odd, it is searched as text: LIKE's wildcards and quotes match themselves.
      for (const value of ["%' OR 1=1 --", '_', '\\', 'x'.repeat(10_000), '<!channel>']) {
        const answer = await world.driver.sendInteraction({ ...good, value });
        expect(answer.json(), value.slice(0, 20)).to.deep.equal({ options: [] });
      }
      // And the app still serves.
      await world.driver.command(CAST.employee, '1003', CAST.general);
      expect(world.slack.views).to.have.length(1);
      expect(world.vendor.calls).to.have.length(0);
    });
  });
}

for (const { kind } of DATABASE_KINDS) {
  describe(`e2e: the phone's name and group beside its account, on ${kind}`, () => {
    let world: AnyWorld;
    const cleanup = new Cleanup();
    const hostile = {
      account: '1003',
      phoneName: '<!channel> *Reception*',
      groupName: 'Head _office_',
      password: 'pw-1003',
    };
    // Escaped, and each formatting character shown as a look-alike that formats nothing.
    const shown = '1003 · &lt;!channel&gt; ∗Reception∗ · Head ˍofficeˍ';
    beforeEach(async function () {
      world = await worldOn(this, cleanup, kind, (databaseUrl) =>
        directoryWorld({
          databaseUrl,
          phones: {
            ...PHONES,
            [HEAD_OFFICE]: [hostile, ...PHONES[HEAD_OFFICE].filter((p) => p.account !== '1003')],
          },
        }),
      );
    });
    afterEach(() => cleanup.run());

    worldTest(
      'in the grant, the Home tab, status and history, escaped: it pings and formats nothing',
      async () => {
        await world.driver.command(CAST.employee, '1003', CAST.general);
        await world.driver.submitModal(CAST.employee, { reason: 'x' });

        await world.driver.command(CAST.employee, 'status', CAST.general);
        expect(world.lastPrivate(CAST.employee).text).to.contain(`*${shown}* (Head office)`);

        await world.driver.openHome(CAST.approver);
        const home = JSON.stringify(world.slack.homes.get(CAST.approver)?.view);
        expect(home).to.contain(`*${shown}* (Head office), asked by <@${CAST.employee}>`);

        const approval = world.lastMessage(CAST.approvals);
        await world.driver.click(
          CAST.approver,
          { kind: 'message', channel: approval.channel, ts: approval.ts },
          'sip_reset_approve',
        );
        const grant = world.lastMessage(CAST.employee);
        expect(JSON.stringify(grant.blocks)).to.contain(`*${shown}* (Head office) was approved`);

        await world.driver.command(CAST.helpdesk, 'history 1003', CAST.general);
        expect(world.lastPrivate(CAST.helpdesk).text.split('\n')[0]).to.equal(
          `The latest events of *${shown}*, newest first:`,
        );

        const everything = [home, JSON.stringify(world.slack.messages), world.privateTo(CAST.employee)].join(
          '',
        );
        expect(everything).not.to.contain('<!channel>');
        expect(everything).not.to.contain('*Reception*');
      },
    );
  });
}
