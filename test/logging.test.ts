import { expect } from 'chai';
import { LogLevel } from '@slack/bolt';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import sinon from 'sinon';
import { BoltLoggerAdapter, createLogger, passwordExposureMs, Redactor } from '../src/logging/index.js';
import { captureLogger } from './helpers/logs.js';

const json = (text: string) => JSON.stringify(text).slice(1, -1);
const form = (text: string) => new URLSearchParams({ v: text }).toString().slice(2);

/** The ways a password reaches a debug line: in a body, a URL, a form, a body logged as a string. */
const ENCODINGS: Record<string, (password: string) => string> = {
  plain: (p) => p,
  'JSON-escaped': json,
  'JSON-escaped twice': (p) => json(json(p)),
  'JSON with escaped slashes': (p) => json(p).replace(/\//g, '\\/'),
  'percent-encoded': encodeURIComponent,
  'percent-encoded, lower-case hex': (p) => encodeURIComponent(p).replace(/%../g, (e) => e.toLowerCase()),
  'form-encoded': form,
  'form-encoded JSON': (p) => form(json(p)),
  'percent-encoded JSON': (p) => encodeURIComponent(json(p)),
  'HTML-escaped': (p) => p.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  base64: (p) => Buffer.from(p).toString('base64'),
  base64url: (p) => Buffer.from(p).toString('base64url'),
  hex: (p) => Buffer.from(p).toString('hex'),
  'hex, upper case': (p) => Buffer.from(p).toString('hex').toUpperCase(),
};

const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
  minLength: 4,
  maxLength: 24,
});

/** Every string in a value, at any depth. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(stringsIn);
}

/** Which encodings of the password are left in the text between the redaction marks. */
function survivors(password: string, redacted: unknown): string[] {
  const pieces = stringsIn(redacted).flatMap((text) => text.split('[REDACTED]'));
  return Object.entries(ENCODINGS)
    .filter(([, encode]) => pieces.some((piece) => piece.includes(encode(password))))
    .map(([name]) => name);
}

const SECRETS = ['xoxb-live-bot-token', 'itnio-api-secret-1', 'slack-signing-secret'];

describe('logging and redaction', () => {
  it('removes values under secret-sounding keys, at any depth', () => {
    const logs = captureLogger(SECRETS);
    logs.logger.info('headers', {
      password: 'Zi6CsOka',
      nested: { Authorization: 'Bearer abc', list: [{ apiSecret: 'x1', Sign: 'abcdef0123', cookie: 'c=1' }] },
      response_url: 'https://hooks.slack.com/actions/T1/123/abc',
      account: '1001',
    });
    const text = logs.text();
    for (const value of ['Zi6CsOka', 'Bearer abc', 'x1"', 'abcdef0123', 'c=1', 'hooks.slack.com']) {
      expect(text).not.to.contain(value);
    }
    expect(logs.lines()[0]).to.deep.include({ account: '1001', password: '[REDACTED]' });
  });

  it('removes configured secrets wherever they appear in a message', () => {
    const logs = captureLogger(SECRETS);
    logs.logger.warn(`token was xoxb-live-bot-token and secret itnio-api-secret-1!`, {
      detail: 'header v0=slack-signing-secret',
    });
    const text = logs.text();
    for (const secret of SECRETS) expect(text).not.to.contain(secret);
    expect(text).to.contain('token was [REDACTED]');
  });

  it('removes configured secrets written in hex, lower or upper case', () => {
    const logs = captureLogger(SECRETS);
    const hex = Buffer.from('itnio-api-secret-1').toString('hex');
    logs.logger.warn(`vendor said: expected ${hex}`, { detail: `got ${hex.toUpperCase()}` });
    expect(logs.text()).not.to.contain(hex).and.not.to.contain(hex.toUpperCase());
    expect(logs.lines()[0]).to.deep.include({
      message: 'vendor said: expected [REDACTED]',
      detail: 'got [REDACTED]',
    });
  });

  it('removes a vendor-issued password from later lines, errors and stacks included', () => {
    const logs = captureLogger(SECRETS);
    logs.redactor.remember('Zi6CsOka');
    const error = new Error('delivery of Zi6CsOka failed');
    logs.logger.error('failed', { error });
    logs.logger.error(new Error('also Zi6CsOka'));
    logs.logger.info('plain mention Zi6CsOka in a message');
    expect(logs.text()).not.to.contain('Zi6CsOka');
    expect(logs.lines()).to.have.length(3);
  });

  it("passes Bolt's own lines through the same redaction", () => {
    const logs = captureLogger(SECRETS);
    logs.redactor.remember('Pw123456');
    const bolt = new BoltLoggerAdapter(logs.logger);
    bolt.setName('web-api');
    bolt.debug('http request', { headers: { Authorization: 'Bearer xoxb-live-bot-token' } });
    bolt.error('failed with', new Error('text Pw123456'));
    const lines = logs.lines();
    expect(lines[0]).to.include({ level: 'debug', component: 'web-api' });
    expect(logs.text()).not.to.contain('xoxb-live-bot-token').and.not.contain('Pw123456');
    expect(String(lines[1]?.message)).to.contain('[REDACTED]');
  });

  for (const level of ['error', 'warn', 'info', 'debug'] as const) {
    it(`keeps LOG_LEVEL=${level} for the app's and Bolt's lines, whatever level Bolt sets`, () => {
      const written: string[] = [];
      const stream = new Writable({
        write(chunk: Buffer, _encoding, done) {
          written.push(chunk.toString());
          done();
        },
      });
      const logger = createLogger({ level, redactor: new Redactor(), pretty: false, stream });
      const bolt = new BoltLoggerAdapter(logger);
      bolt.setLevel(LogLevel.INFO); // what Bolt's App does unless told otherwise
      bolt.setLevel(LogLevel.DEBUG);
      expect(bolt.getLevel()).to.equal(
        { error: LogLevel.ERROR, warn: LogLevel.WARN, info: LogLevel.INFO, debug: LogLevel.DEBUG }[level],
      );
      for (const each of ['error', 'warn', 'info', 'debug'] as const) {
        logger[each](`app ${each}`);
        bolt[each](`bolt ${each}`);
      }
      const order = ['error', 'warn', 'info', 'debug'];
      const expected = order.slice(0, order.indexOf(level) + 1).flatMap((l) => [`app ${l}`, `bolt ${l}`]);
      expect(written.map((line) => (JSON.parse(line) as { message: string }).message)).to.deep.equal(
        expected,
      );
    });
  }

  it('writes lines a person can read on a terminal, without winston internals', () => {
    const written: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({ level: 'info', redactor: new Redactor(), pretty: true, stream });
    logger.info('request approved', { requestId: 'r1' });
    expect(written[0]).to.match(/request approved \{ requestId: 'r1' \}/);
    expect(written[0]).not.to.contain('Symbol(');
  });

  it('forgets the oldest remembered password past its bound, not the configured secrets', () => {
    const redactor = new Redactor(['fixed-secret']);
    redactor.remember('first-pw');
    for (let i = 0; i < 1000; i += 1) redactor.remember(`pw-${i}-xx`);
    expect(redactor.redactString('first-pw fixed-secret pw-999-xx')).to.equal(
      'first-pw [REDACTED] [REDACTED]',
    );
  });

  it('removes Slack tokens and response URLs by their shape, configured or not', () => {
    const redactor = new Redactor();
    expect(
      redactor.redactString(
        'user xoxp-1-abc app xapp-1-A1-xyz step xwfp-1-Fx1-abc url {"response_url":"https://hooks.slack.com/commands/T1/2/abc"}',
      ),
    ).to.equal('user [REDACTED] app [REDACTED] step [REDACTED] url {"response_url":"[REDACTED]"}');
  });

  it("removes a workflow step's user_context secret from an envelope logged whole, escaped or not", () => {
    const redactor = new Redactor();
    const inputs = { requester: { id: 'UALICE', secret: 'Uc5ecretZz9' }, account: '1001' };
    for (const text of [JSON.stringify(inputs), JSON.stringify(JSON.stringify({ inputs }))]) {
      const redacted = redactor.redactString(`Received a message on the WebSocket: ${text}`);
      expect(redacted).not.to.contain('Uc5ecretZz9');
      expect(redacted).to.contain('UALICE').and.contain('1001');
    }
  });

  describe('response URLs, on any Slack hooks host, in any encoding', () => {
    const TOKEN = 'RespTok3nZq81';
    const url = (host: string, path = 'commands') => `https://${host}/${path}/T0001/1234567890/${TOKEN}`;
    const variants: Record<string, string> = {
      "a slash command's": url('hooks.slack.com'),
      "a click's": url('hooks.slack.com', 'actions'),
      "a shortcut's": url('hooks.slack.com', 'app'),
      "an incoming webhook's": `https://hooks.slack.com/services/T0001/B0001/${TOKEN}`,
      "GovSlack's": url('hooks.slack-gov.com'),
      'with :443': url('hooks.slack.com:443', 'actions'),
      'in upper case': url('HOOKS.SLACK.COM', 'ACTIONS').replace('https', 'HTTPS'),
      'in JSON with escaped slashes': JSON.stringify({ response_url: url('hooks.slack-gov.com') })
        .slice(1, -1)
        .replace(/\//g, '\\/'),
      'in JSON inside JSON': json(json(JSON.stringify({ url: url('hooks.slack.com', 'actions') }))),
      'percent-encoded': encodeURIComponent(url('hooks.slack-gov.com:443', 'app')),
      'percent-encoded, lower-case hex': encodeURIComponent(url('hooks.slack.com')).toLowerCase(),
      'form-encoded JSON': `payload=${form(JSON.stringify({ response_url: url('hooks.slack.com', 'actions') }))}`,
      'form-encoded JSON with escaped slashes': form(
        JSON.stringify({ u: url('hooks.slack.com') }).replace(/\//g, '\\/'),
      ),
      'on the hooks host of the configured API': url('hooks.slack.example.org', 'actions'),
    };
    for (const [name, variant] of Object.entries(variants)) {
      it(`keeps ${name} out of a debug line`, () => {
        const logs = captureLogger([], new Redactor([], { slackApiUrl: 'https://slack.example.org/api/' }));
        new BoltLoggerAdapter(logs.logger).debug(`http request body: ${variant}`);
        expect(logs.lines()).to.have.length(1);
        expect(logs.text()).not.to.contain(TOKEN).and.not.to.contain(TOKEN.toLowerCase());
        expect(logs.text()).to.contain('[REDACTED]');
      });
    }

    it('leaves URLs that are no response URL as they are', () => {
      const redactor = new Redactor([], { slackApiUrl: 'https://slack.com/api/' });
      for (const text of [
        'see https://api.slack.com/interactivity/handling',
        'https://hooks.slack.com.evil.example/commands/T1/2/x',
        'https://slack.com/apps/A0123',
        'https://hooks.slack.com',
      ])
        expect(redactor.redactString(text)).to.equal(text);
    });
  });

  it('ignores values too short to redact safely', () => {
    const redactor = new Redactor(['ab']);
    redactor.remember('x');
    expect(redactor.redactString('a b ab x')).to.equal('a b ab x');
  });

  describe('issued passwords, in any encoding', () => {
    it('removes every encoding of any printable password from strings and objects that embed it', () => {
      fc.assert(
        fc.property(printable, fc.constantFrom(...Object.keys(ENCODINGS)), (password, name) => {
          const redactor = new Redactor();
          redactor.remember(password);
          const embedded = ENCODINGS[name]!(password);
          const line = redactor.redactString(
            `http request body: {"text":"${embedded}"} and ?p=${embedded}&x=1`,
          );
          const object = redactor.redact({ body: `payload=${embedded}`, nested: [{ text: embedded }] });
          expect(survivors(password, line), `${name} in a string`).to.deep.equal([]);
          expect(survivors(password, object), `${name} in an object`).to.deep.equal([]);
        }),
        { numRuns: 500 },
      );
    });

    it("removes a password from a Slack Web API client's debug line of the message carrying it", () => {
      const logs = captureLogger();
      const password = 'a"b\\c+d%e/f g&h';
      logs.redactor.remember(password);
      const blocks = [{ type: 'rich_text_preformatted', elements: [{ type: 'text', text: password }] }];
      const bolt = new BoltLoggerAdapter(logs.logger);
      bolt.debug(`http request body: ${JSON.stringify({ channel: 'C1', blocks })}`);
      bolt.debug(`http request body: ${JSON.stringify({ channel: 'C1', blocks: JSON.stringify(blocks) })}`);
      bolt.debug(`payload=${form(JSON.stringify({ actions: [{ value: password }] }))}`);
      expect(logs.lines()).to.have.length(3);
      expect(survivors(password, logs.lines())).to.deep.equal([]);
      expect(logs.text()).to.contain('[REDACTED]');
    });

    it('forgets a password once no line can carry it any more', () => {
      let now = 0;
      const redactor = new Redactor(['fixed-secret'], { rememberForMs: 60_000, now: () => now });
      redactor.remember('Zi6CsOka');
      now = 59_999;
      expect(redactor.redactString('Zi6CsOka fixed-secret')).to.equal('[REDACTED] [REDACTED]');
      now = 60_000;
      expect(redactor.redactString('Zi6CsOka fixed-secret')).to.equal('Zi6CsOka [REDACTED]');
      expect(redactor.remembered).to.equal(0);
    });

    it('still finds every password remembered after hundreds of others, sharing prefixes or not, were forgotten', () => {
      let now = 0;
      const redactor = new Redactor([], { rememberForMs: 1_000, now: () => now });
      const passwords = Array.from(
        { length: 600 },
        (_, i) => `${['Pw', 'Qx', 'Pw9'][i % 3]}${(i * 7919).toString(36)}z`,
      );
      passwords.forEach((password, i) => {
        now = i < 300 ? 0 : 500;
        redactor.remember(password);
      });
      now = 1_000;
      const line = (password: string) => redactor.redactString(`delivered ${password}.`);
      for (const password of passwords.slice(0, 300))
        expect(line(password)).to.equal(`delivered ${password}.`);
      for (const password of passwords.slice(300)) expect(line(password)).to.equal('delivered [REDACTED].');
    });

    it('holds no more passwords than were issued within the time it keeps them', () => {
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: 120_000 }), { maxLength: 200 }), (gaps) => {
          let now = 0;
          const redactor = new Redactor([], { rememberForMs: 60_000, now: () => now });
          const issuedAt: number[] = [];
          gaps.forEach((gap, i) => {
            now += gap;
            redactor.remember(`password-${i}`);
            issuedAt.push(now);
            expect(redactor.remembered).to.equal(issuedAt.filter((at) => at > now - 60_000).length);
          });
        }),
      );
    });

    it('remembers passwords for half an hour on screen, plus a margin, by default', () => {
      const clock = sinon.useFakeTimers({ now: Date.UTC(2026, 10, 29), toFake: ['Date'] });
      try {
        expect(passwordExposureMs()).to.equal(35 * 60_000);
        const redactor = new Redactor();
        redactor.remember('Zi6CsOka');
        clock.tick(35 * 60_000 - 1);
        expect(redactor.redactString('Zi6CsOka')).to.equal('[REDACTED]');
        clock.tick(1);
        expect(redactor.redactString('Zi6CsOka')).to.equal('Zi6CsOka');
      } finally {
        clock.restore();
      }
    });
  });
});
