import diagnostics from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { expect } from 'chai';
import sinon from 'sinon';
import { CAST } from '../../sandbox/world.js';
import { requestReset, type TestSocketWorld, testWorld, worldTest } from '../helpers/world.js';
import { HEAD_OFFICE } from '../helpers/requests.js';

/** Where every TCP connection this process opens goes, whatever library opens it. */
function watchConnections() {
  const targets: string[] = [];
  const onSocket = (message: unknown) => {
    const { socket } = message as { socket: Socket };
    socket.once('lookup', (_error: unknown, _address: unknown, _family: unknown, host: string) =>
      targets.push(host),
    );
    socket.once('connectionAttempt', (ip: string) => targets.push(ip));
  };
  diagnostics.subscribe('net.client.socket', onSocket);
  return { targets, stop: () => diagnostics.unsubscribe('net.client.socket', onSocket) };
}

/**
 * Resolves when the app's WebSocket client has handled the end of a connection. The Socket Mode
 * client schedules its reconnect in that same turn, so a fake clock can then fire it.
 */
function nextClientClose(): Promise<void> {
  return new Promise((resolve) => {
    const onClose = () => {
      diagnostics.unsubscribe('undici:websocket:close', onClose);
      resolve();
    };
    diagnostics.subscribe('undici:websocket:close', onClose);
  });
}

describe('e2e: Socket Mode', () => {
  let world: TestSocketWorld;
  let connections: ReturnType<typeof watchConnections>;

  beforeEach(async () => {
    connections = watchConnections();
    world = await testWorld({ mode: 'socket' });
  });
  afterEach(async () => {
    await world.stop();
    connections.stop();
    expect(connections.targets, 'the app connected somewhere').not.to.have.length(0);
    expect(
      connections.targets.filter((target) => target !== '127.0.0.1'),
      'nothing left this machine: not slack.com, whatever the default',
    ).to.deep.equal([]);
  });

  const approvalMessage = () => world.lastMessage(CAST.approvals);
  const grant = () => world.lastMessage(CAST.employee);
  const pressIn = (user: string, message: { channel: string; ts: string }, actionId: string) =>
    world.driver.click(user, { kind: 'message', channel: message.channel, ts: message.ts }, actionId);

  worldTest(
    'connects through SLACK_API_URL with the app token; the command opens the modal with its trigger_id',
    async () => {
      // The stand-in answers apps.connections.open with a URL only for the app token.
      expect(world.slack.callsTo('apps.connections.open')).to.have.length(1);
      expect(world.socket.urlsIssued).to.equal(1);
      expect(world.socket.connectionCount).to.equal(1);

      const form = world.driver.commandForm(CAST.employee, '1001', CAST.general);
      const ack = await world.driver.sendCommand(form);
      expect(ack.json(), 'a bare ack').to.deep.equal({});
      const [open] = world.slack.callsTo('views.open');
      expect(open?.args.trigger_id).to.equal(form.trigger_id);
      expect(world.slack.views[0]?.view.callback_id).to.equal('sip_reset_request');
    },
  );

  worldTest("answers `/sip-reset help` in the command's ack, privately, without a modal", async () => {
    const ack = await world.driver.command(CAST.employee, 'help', CAST.general);
    expect(ack.json()).to.include({ response_type: 'ephemeral' });
    expect(String(ack.json().text)).to.contain('/sip-reset 1001');
    expect(world.slack.callsTo('views.open')).to.have.length(0);
  });

  worldTest("shows a submission's field errors in its ack and resets nothing", async () => {
    const ack = await requestReset(world, CAST.helpdesk, '100');
    expect(ack.json()).to.include({ response_action: 'errors' });
    expect(JSON.stringify(ack.json().errors)).to.match(/"account":"[^"]*at least 4/);
    expect(world.vendor.calls).to.have.length(0);
  });

  worldTest('resets directly for the helpdesk and delivers the password only to them', async () => {
    const ack = await requestReset(world, CAST.helpdesk, '1001');
    expect(ack.json()).to.deep.equal({});
    expect(world.vendor.resets).to.have.length(1);
    const password = world.vendor.passwords.get(`${HEAD_OFFICE}/1001`) as string;
    const message = world.lastPrivate(CAST.helpdesk, 'sip_reset_remove_password');
    expect(message).to.include({ via: 'response_url', user: CAST.helpdesk });
    expect(JSON.stringify(message.blocks)).to.contain(password);
    expect(world.privateTo(CAST.employee)).not.to.contain(password);
    expect(world.slack.messages, 'nothing public').to.have.length(0);
  });

  worldTest('runs an approval: request, Approve, then "Reset now" resets once', async () => {
    await requestReset(world, CAST.employee, '1001', 'New desk phone');
    await pressIn(CAST.approver, approvalMessage(), 'sip_reset_approve');
    expect(world.vendor.calls, 'approval alone resets nothing').to.have.length(0);
    await pressIn(CAST.employee, grant(), 'sip_reset_claim');

    expect(world.vendor.resets).to.have.length(1);
    const password = world.vendor.passwords.get(`${HEAD_OFFICE}/1001`) as string;
    expect(JSON.stringify(world.lastPrivate(CAST.employee, 'sip_reset_remove_password').blocks)).to.contain(
      password,
    );
    expect(JSON.stringify(approvalMessage().blocks)).to.contain('Password reset');
    expect((await world.store.listByRequester(CAST.employee, 1))[0]?.status).to.equal('completed');
  });

  worldTest('loses nothing when Slack asks for a new connection between approval and reset', async () => {
    await requestReset(world, CAST.employee, '1001', 'New desk phone');
    await pressIn(CAST.approver, approvalMessage(), 'sip_reset_approve');

    // The client waits before reconnecting (its clientPingTimeout, 5 s): a fake clock skips that.
    const clock = sinon.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'],
      shouldClearNativeTimers: true,
    });
    try {
      const clientClosed = nextClientClose();
      await world.socket.disconnect('refresh_requested');
      await clientClosed;
      await clock.runToLastAsync();
    } finally {
      clock.restore();
    }
    await world.socket.connected(2);

    await pressIn(CAST.employee, grant(), 'sip_reset_claim');
    expect(world.vendor.resets).to.have.length(1);
    const password = world.vendor.passwords.get(`${HEAD_OFFICE}/1001`) as string;
    expect(JSON.stringify(world.lastPrivate(CAST.employee, 'sip_reset_remove_password').blocks)).to.contain(
      password,
    );
    expect((await world.store.listByRequester(CAST.employee, 1))[0]?.status).to.equal('completed');
    const opens = world.slack.callsTo('apps.connections.open');
    expect(opens, 'a new URL for the new connection').to.have.length(2);
    expect(world.socket.urlsIssued, 'both for the app token').to.equal(2);
    expect(world.socket.connectionCount).to.equal(2);
    expect(world.logs.lines().filter((line) => line.level === 'error')).to.deep.equal([]);
  });
});
