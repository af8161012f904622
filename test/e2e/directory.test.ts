import { expect } from 'chai';
import { CAST } from '../../sandbox/world.js';
import { testWorld, type TestWorld, worldTest } from '../helpers/world.js';
import { HEAD_OFFICE } from '../helpers/requests.js';

describe('e2e: /sip-reset directory', () => {
  let world: TestWorld;
  afterEach(() => world.stop());

  const answer = async (user: string) => {
    await world.driver.command(user, 'directory', CAST.general);
    const shown = world.lastPrivate(user);
    expect(shown.via).to.equal('response_url');
    return shown.text;
  };

  worldTest('refreshes on demand for a helpdesk agent and says how many phones and when', async () => {
    world = await testWorld({ directory: true });
    await world.sipReset.services.phoneDirectory?.refresh();
    const before = world.vendor.queries.length;
    const text = await answer(CAST.helpdesk);
    expect(world.vendor.queries.length - before, 'one page per application, now').to.equal(2);
    const lines = text.split('\n');
    expect(lines[0]).to.equal('The phone directory (names and groups of the phones, never their passwords):');
    expect(lines[1]).to.match(/^• \*Head office\*: 4 phones, last refreshed <!date\^\d+\^/);
    expect(lines[2]).to.match(/^• \*Warehouse\*: 1 phone, last refreshed <!date\^\d+\^/);
  });

  worldTest('says why the last refresh failed, and keeps the phones from before', async () => {
    world = await testWorld({ directory: true });
    await world.sipReset.services.phoneDirectory?.refresh();
    world.vendor.faults.push({ kind: 'status', status: '-30' });
    const text = await answer(CAST.helpdesk);
    expect(text).to.match(/• \*Head office\*: the last refresh failed <!date.*\(`api_key_disabled`\)/);
    expect(text).to.match(/• \*Head office\*: 4 phones, last refreshed/);
    const metrics = await (await fetch(`http://127.0.0.1:${world.sipReset.port()}/metrics`)).text();
    expect(metrics).to.contain(
      'sip_reset_directory_refresh_failures_total{app="4luaKsL2",code="api_key_disabled"} 1',
    );
    expect(metrics).to.match(/sip_reset_directory_phones\{app="4luaKsL2"\} 4/);
    expect(metrics).to.match(/sip_reset_directory_age_seconds\{app="Xy12ab"\} \d/);
  });

  worldTest('refuses anyone else, in their language, and asks ITNIO nothing', async () => {
    world = await testWorld({ directory: true });
    await world.sipReset.services.phoneDirectory?.refresh();
    const before = world.vendor.queries.length;
    expect(await answer(CAST.employee)).to.equal('Only helpdesk agents can refresh the phone directory.');
    expect(await answer(CAST.chineseEmployee)).to.equal('只有 IT 服务台同事可以刷新话机目录。');
    expect(world.vendor.queries.length).to.equal(before);
  });

  worldTest('says the directory is off when it is', async () => {
    world = await testWorld({});
    expect(await answer(CAST.helpdesk)).to.match(/^The phone directory is off/);
  });
});

describe('e2e: the form checks the account against the phone directory', () => {
  let world: TestWorld;
  afterEach(() => world.stop());

  worldTest(
    'refuses a phone a fresh directory does not list, as a field error in the person’s language, before any request',
    async () => {
      world = await testWorld({ directory: true });
      await world.sipReset.services.phoneDirectory?.refresh();
      await world.driver.command(CAST.employee, '', CAST.general);
      const refused = await world.driver.submitModal(CAST.employee, {
        account: '1009',
        app: HEAD_OFFICE,
        reason: 'x',
      });
      expect(refused.json()).to.deep.equal({
        response_action: 'errors',
        errors: {
          account:
            'There is no such phone in Head office. Check the number, or choose another voice application.',
        },
      });
      await world.driver.command(CAST.chineseEmployee, '', CAST.general);
      const zh = await world.driver.submitModal(CAST.chineseEmployee, {
        account: '1009',
        app: HEAD_OFFICE,
        reason: 'x',
      });
      expect(JSON.stringify(zh.json())).to.contain('Head office 中没有这个话机账号');
      expect(await world.store.listByRequester(CAST.employee, 10)).to.deep.equal([]);
      expect(world.vendor.calls).to.have.length(0);

      await world.driver.command(CAST.employee, '', CAST.general);
      await world.driver.submitModal(CAST.employee, { account: '1003', app: HEAD_OFFICE, reason: 'x' });
      expect(await world.store.listByRequester(CAST.employee, 10)).to.have.length(1);
    },
  );

  worldTest('lets the request go on when the last refresh failed', async () => {
    world = await testWorld({ directory: true });
    await world.sipReset.services.phoneDirectory?.refresh();
    world.vendor.faults.push({ kind: 'http', code: 500 });
    await world.sipReset.services.phoneDirectory?.refresh();
    await world.driver.command(CAST.employee, '', CAST.general);
    await world.driver.submitModal(CAST.employee, { account: '1009', app: HEAD_OFFICE, reason: 'x' });
    expect(await world.store.listByRequester(CAST.employee, 10)).to.have.length(1);
  });
});

describe('e2e: the approval message and the phone directory', () => {
  let world: TestWorld;
  afterEach(() => world.stop());

  const approvalText = () =>
    JSON.stringify(world.slack.messages.filter((m) => m.channel === CAST.approvals).at(-1)?.blocks);

  worldTest("shows the phone's name and group beside its account", async () => {
    world = await testWorld({ directory: true });
    await world.sipReset.services.phoneDirectory?.refresh();
    await world.driver.command(CAST.employee, '1003', CAST.general);
    await world.driver.submitModal(CAST.employee, { account: '1003', app: HEAD_OFFICE, reason: 'x' });
    expect(approvalText()).to.contain('1003\\nPhone 1003 · Default').and.not.contain('could not be checked');
  });

  worldTest('says the account could not be checked when the last refresh failed', async () => {
    world = await testWorld({ directory: true });
    await world.sipReset.services.phoneDirectory?.refresh();
    world.vendor.faults.push({ kind: 'http', code: 500, endpoint: 'sipQuery' });
    await world.sipReset.services.phoneDirectory?.refresh();
    await world.driver.command(CAST.employee, '1009', CAST.general);
    await world.driver.submitModal(CAST.employee, { account: '1009', app: HEAD_OFFICE, reason: 'x' });
    expect(approvalText()).to.contain('could not be checked against the phone directory');
  });
});
