import { expect } from 'chai';
import { CAST } from '../../sandbox/world.js';
import { testWorld, type TestWorld, worldTest } from '../helpers/world.js';

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
    await world.sipReset.deps.phoneDirectory?.refresh();
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
    await world.sipReset.deps.phoneDirectory?.refresh();
    world.vendor.faults.push({ kind: 'status', status: '-30' });
    const text = await answer(CAST.helpdesk);
    expect(text).to.match(/• \*Head office\*: the last refresh failed <!date.*\(`api_key_disabled`\)/);
    expect(text).to.match(/• \*Head office\*: 4 phones, last refreshed/);
  });

  worldTest('refuses anyone else, in their language, and asks ITNIO nothing', async () => {
    world = await testWorld({ directory: true });
    await world.sipReset.deps.phoneDirectory?.refresh();
    const before = world.vendor.queries.length;
    expect(await answer(CAST.employee)).to.equal('Only helpdesk agents can refresh the phone directory.');
    expect(await answer(CAST.chineseEmployee)).to.equal('只有服务台同事可以刷新话机目录。');
    expect(world.vendor.queries.length).to.equal(before);
  });

  worldTest('says the directory is off when it is', async () => {
    world = await testWorld({});
    expect(await answer(CAST.helpdesk)).to.match(/^The phone directory is off/);
  });
});
