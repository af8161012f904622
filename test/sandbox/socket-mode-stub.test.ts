import { request } from 'node:http';
import type { Socket } from 'node:net';
import { expect } from 'chai';
import fetch from 'node-fetch';
import { SlackStub } from '../../sandbox/slack-stub.js';
import { SocketModeStub } from '../../sandbox/socket-mode-stub.js';

/**
 * The Socket Mode stand-in must refuse what Slack refuses, or an app that used the wrong token or a
 * stale URL would pass its tests.
 */
describe('Socket Mode stand-in', () => {
  let slack: SlackStub;
  let socket: SocketModeStub;
  beforeEach(async () => {
    slack = new SlackStub({ channels: {} });
    await slack.start();
    socket = new SocketModeStub(slack, 'xapp-1-A1-test');
    await socket.start();
  });
  afterEach(async () => {
    await socket.stop();
    await slack.stop();
  });

  const openConnection = async (token: string) => {
    const response = await fetch(`${slack.apiUrl}apps.connections.open`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    });
    return (await response.json()) as { ok: boolean; url?: string; error?: string };
  };

  /** The status a WebSocket upgrade at this URL gets: 101 when it is accepted. */
  const upgrade = (url: string): Promise<number> =>
    new Promise((resolve) => {
      const req = request(url.replace(/^ws:/, 'http:'), {
        headers: {
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Version': '13',
          'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        },
      });
      req.on('upgrade', (response, upgraded: Socket) => {
        upgraded.destroy();
        resolve(response.statusCode ?? 0);
      });
      req.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      req.end();
    });

  it('answers apps.connections.open only for the app token', async () => {
    expect(await openConnection(slack.token)).to.deep.equal({ ok: false, error: 'invalid_auth' });
    const opened = await openConnection('xapp-1-A1-test');
    expect(opened.ok).to.equal(true);
    expect(opened.url).to.match(/^ws:\/\/127\.0\.0\.1:\d+\//);
    expect(socket.urlsIssued).to.equal(1);
  });

  it('accepts each connection URL once, and no URL it did not issue', async () => {
    const { url } = await openConnection('xapp-1-A1-test');
    expect(await upgrade(String(url).replace(/ticket=[^&]+/, 'ticket=forged'))).to.equal(401);
    expect(await upgrade(String(url))).to.equal(101);
    expect(await upgrade(String(url))).to.equal(401);
    expect(socket.connectionCount).to.equal(1);
  });
});
