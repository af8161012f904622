import { expect } from 'chai';
import { CAST } from '../../src/sandbox/world.js';
import { testWorld, type TestWorld } from '../helpers/world.js';

describe('e2e: direct reset', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await testWorld();
  });
  afterEach(() => world.stop());

  it('opens the modal and resets for helpdesk, password privately', async () => {
    const answer = await world.driver.command(CAST.helpdesk, '1001', CAST.general);
    expect(answer.status).to.equal(200);
    expect(world.slack.views).to.have.length(1);
    const submit = await world.driver.submitModal(CAST.helpdesk, { account: '1001', app: '4luaKsL2' });
    expect(submit.status).to.equal(200);
    console.error(JSON.stringify(world.slack.sightings, null, 1).slice(0, 3000));
    console.error(world.logs.text());
  });
});
