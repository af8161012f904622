import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { CAST } from '../../sandbox/world.js';
import { responseUrlOrigins } from '../../src/slack/outbound/private-delivery.js';
import { testWorld, type TestWorld, worldTest } from '../helpers/world.js';
import { HEAD_OFFICE } from '../helpers/requests.js';

describe('attack: a response_url that is not Slack’s', () => {
  let world: TestWorld;
  let rogue: Server;
  let rogueUrl: string;
  const received: string[] = [];

  beforeEach(async () => {
    received.length = 0;
    rogue = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200).end('ok');
      });
    });
    rogue.listen(0, '127.0.0.1');
    await once(rogue, 'listening');
    rogueUrl = `http://127.0.0.1:${(rogue.address() as AddressInfo).port}/steal`;
    world = await testWorld();
  });
  afterEach(async () => {
    await world.stop();
    rogue.closeAllConnections();
    await new Promise((resolve) => rogue.close(resolve));
  });

  worldTest('are Slack’s hooks host and the Web API’s own origin, from SLACK_API_URL', async () => {
    expect(responseUrlOrigins('https://slack.com/api/')).to.deep.equal([
      'https://slack.com',
      'https://hooks.slack.com',
    ]);
    expect(responseUrlOrigins('http://127.0.0.1:4000/api/')).to.include('http://127.0.0.1:4000');
  });

  for (const forged of ['rogue', 'https://hooks.slack.com.evil.example/x', 'not a url', 'javascript:1']) {
    worldTest(`never gets the password from a forged private_metadata (${forged})`, async () => {
      await world.driver.command(CAST.helpdesk, '1001', CAST.general);
      const payload = world.driver.modalSubmission(CAST.helpdesk, { account: '1001', app: HEAD_OFFICE });
      const view = payload.view as Record<string, unknown>;
      const responseUrl = forged === 'rogue' ? rogueUrl : forged;
      view.private_metadata = JSON.stringify({ responseUrl, channelId: CAST.general });
      const answer = await world.driver.sendInteraction(payload);
      expect(answer.status).to.equal(200);
      expect(world.vendor.issued).to.have.length(1);
      const password = world.vendor.issued[0] as string;
      expect(received.join(), 'nothing reached the rogue server').to.equal('');
      const delivered = world.slack.ephemerals.filter((e) => JSON.stringify(e).includes(password));
      expect(delivered.map((e) => [e.user, e.via])).to.deep.equal([[CAST.helpdesk, 'chat.postEphemeral']]);
      expect(world.logs.text()).to.contain('ignored a response_url that is not on Slack');
      expect(world.logs.text()).not.to.contain(responseUrl);
    });
  }

  worldTest('never follows a forged response_url in a click either', async () => {
    await world.driver.command(CAST.employee, '1001', CAST.general);
    await world.driver.submitModal(CAST.employee, { account: '1001', app: HEAD_OFFICE, reason: 'lost it' });
    const message = world.lastMessage(CAST.approvals);
    const click = world.driver.buttonClick(
      CAST.approver,
      { kind: 'message', channel: message.channel, ts: message.ts },
      'sip_reset_approve',
    );
    click.response_url = rogueUrl;
    expect((await world.driver.sendInteraction(click)).status).to.equal(200);
    expect(received.join()).to.equal('');
  });
});
