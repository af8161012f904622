import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { CONFIG_VARIABLES, ConfigError, loadConfig, PLACEHOLDERS, secretsOf } from '../src/config/index.js';
import { VALID_ENV } from './helpers/env.js';

function problem(env: Record<string, string | undefined>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).not.to.contain('\n');
    for (const secret of Object.values(env)) {
      if (secret && secret.length > 6 && /secret|token|key/i.test(secret))
        expect(message).not.to.contain(secret);
    }
    return message;
  }
  throw new Error('expected a configuration error');
}

describe('configuration', () => {
  it('reads a minimal environment with every default', () => {
    const config = loadConfig(VALID_ENV);
    expect(config.port).to.equal(3000);
    expect(config.slack.apiUrl).to.equal('https://slack.com/api/');
    expect(config.slack.appToken).to.equal(undefined);
    expect(config.slack.timeoutMs).to.equal(5000);
    expect(config.itnio.baseUrl).to.equal('https://api.itniotech.com/voice');
    expect(config.itnio.timeoutMs).to.equal(15000);
    expect(config.itnio.apps).to.deep.equal([
      { label: 'Office', appId: '4luaKsL2' },
      { label: 'Warehouse', appId: 'Xy12' },
    ]);
    expect(config.requestTtlMinutes).to.equal(60);
    expect(config.grantTtlMinutes).to.equal(480);
    expect(config.maxRequestsPerHour).to.equal(5);
    expect(config.shutdownTimeoutMs, 'two vendor calls and a margin').to.equal(60_000);
    expect(config.policy.protectedApprovals).to.equal(2);
    expect(config.databaseUrl).to.equal('./data/sip-reset.sqlite');
    expect(config.logLevel).to.equal('info');
  });

  it('reads lists, URLs and the owners file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sip-reset-config-'));
    const owners = join(dir, 'owners.json');
    writeFileSync(owners, JSON.stringify({ U111: ['1001', '1002'] }));
    const config = loadConfig({
      ...VALID_ENV,
      ITNIO_APP_IDS: 'plainApp',
      ITNIO_BASE_URL: 'https://api.onbuka.com/v3/voice/',
      SLACK_API_URL: 'http://127.0.0.1:9999/api',
      SIP_RESET_HELPDESK: 'U111, S222 ,W333',
      SIP_RESET_PROTECTED: '9*,admin*',
      SIP_RESET_OWNERS_FILE: owners,
      LOG_LEVEL: 'DEBUG',
    });
    expect(config.itnio.apps).to.deep.equal([{ label: 'plainApp', appId: 'plainApp' }]);
    expect(config.itnio.baseUrl).to.equal('https://api.onbuka.com/v3/voice');
    expect(config.slack.apiUrl).to.equal('http://127.0.0.1:9999/api/');
    expect(config.policy.helpdesk).to.deep.equal(['U111', 'S222', 'W333']);
    expect(config.policy.approvers, 'approvers default to the helpdesk').to.deep.equal([
      'U111',
      'S222',
      'W333',
    ]);
    expect(config.policy.protectedAccounts).to.deep.equal(['9*', 'admin*']);
    expect(config.policy.owners).to.deep.equal({ U111: ['1001', '1002'] });
    expect(config.logLevel).to.equal('debug');
  });

  it('derives the shutdown bound from the vendor timeout unless it is set', () => {
    expect(loadConfig({ ...VALID_ENV, ITNIO_TIMEOUT_MS: '5000' }).shutdownTimeoutMs).to.equal(40_000);
    expect(
      loadConfig({ ...VALID_ENV, ITNIO_TIMEOUT_MS: '5000', SIP_RESET_SHUTDOWN_TIMEOUT_MS: '9000' })
        .shutdownTimeoutMs,
    ).to.equal(9000);
    expect(problem({ ...VALID_ENV, SIP_RESET_SHUTDOWN_TIMEOUT_MS: '0' })).to.contain(
      'SIP_RESET_SHUTDOWN_TIMEOUT_MS must be greater than 0',
    );
  });

  it('turns the phone picker on by default in Socket Mode only, where Slack needs no options load URL', () => {
    expect(loadConfig(VALID_ENV).phonePicker).to.equal(false);
    expect(loadConfig({ ...VALID_ENV, SLACK_APP_TOKEN: 'xapp-1-A-1-abc' }).phonePicker).to.equal(true);
    expect(loadConfig({ ...VALID_ENV, SIP_RESET_PHONE_PICKER: ' ON ' }).phonePicker).to.equal(true);
    expect(
      loadConfig({ ...VALID_ENV, SLACK_APP_TOKEN: 'xapp-1-A-1-abc', SIP_RESET_PHONE_PICKER: 'off' })
        .phonePicker,
    ).to.equal(false);
    expect(problem({ ...VALID_ENV, SIP_RESET_PHONE_PICKER: 'yes' })).to.contain(
      'SIP_RESET_PHONE_PICKER must be on or off',
    );
    // Set to nothing, as LOG_LEVEL= or SIP_RESET_DEFAULT_LOCALE= are: the default, not a stop.
    expect(loadConfig({ ...VALID_ENV, SIP_RESET_PHONE_PICKER: ' ' }).phonePicker).to.equal(false);
    expect(
      loadConfig({ ...VALID_ENV, SLACK_APP_TOKEN: 'xapp-1-A-1-abc', SIP_RESET_PHONE_PICKER: '' }).phonePicker,
    ).to.equal(true);
  });

  const mistakes: Array<[string, Record<string, string | undefined>, RegExp]> = [
    [
      'a missing bot token',
      { SLACK_BOT_TOKEN: undefined },
      /^Configuration error: SLACK_BOT_TOKEN is required/,
    ],
    [
      'a user token for a bot token',
      { SLACK_BOT_TOKEN: 'xoxp-secret-user-token' },
      /SLACK_BOT_TOKEN must be a bot token/,
    ],
    ['a missing signing secret', { SLACK_SIGNING_SECRET: '  ' }, /SLACK_SIGNING_SECRET is required/],
    ['a bad app token', { SLACK_APP_TOKEN: 'xoxb-not-an-app-token' }, /SLACK_APP_TOKEN must be an app token/],
    ['a missing API key', { ITNIO_API_KEY: undefined }, /ITNIO_API_KEY is required/],
    ['a missing API secret', { ITNIO_API_SECRET: undefined }, /ITNIO_API_SECRET is required/],
    ['no apps', { ITNIO_APP_IDS: undefined }, /ITNIO_APP_IDS is required/],
    ['a malformed app list', { ITNIO_APP_IDS: 'Office=,=x' }, /ITNIO_APP_IDS must be a comma list/],
    ['the same app twice', { ITNIO_APP_IDS: 'a=X1,b=X1' }, /ITNIO_APP_IDS lists the same appId twice/],
    ['a port out of range', { PORT: '70000' }, /PORT must be a port number between/],
    ['a port that is not a number', { PORT: 'http' }, /PORT must be a port number/],
    [
      'a base URL that is not a URL',
      { ITNIO_BASE_URL: 'api.itniotech.com' },
      /ITNIO_BASE_URL must be an http\(s\) URL/,
    ],
    [
      'a Slack API URL that is not a URL',
      { SLACK_API_URL: 'ftp://x' },
      /SLACK_API_URL must be an http\(s\) URL/,
    ],
    ['a zero timeout', { ITNIO_TIMEOUT_MS: '0' }, /ITNIO_TIMEOUT_MS must be greater than 0/],
    ['a timeout with a unit', { ITNIO_TIMEOUT_MS: '15s' }, /ITNIO_TIMEOUT_MS must be a whole number/],
    [
      'a user name in the helpdesk list',
      { SIP_RESET_HELPDESK: 'U123,@alice' },
      /SIP_RESET_HELPDESK must be a comma list of Slack user IDs/,
    ],
    ['a bad approvers list', { SIP_RESET_APPROVERS: 'alice' }, /SIP_RESET_APPROVERS must be a comma list/],
    [
      'a channel name for a channel ID',
      { SIP_RESET_APPROVAL_CHANNEL: '#helpdesk' },
      /SIP_RESET_APPROVAL_CHANNEL must be a channel ID/,
    ],
    [
      'a channel name for the audit channel',
      { SIP_RESET_AUDIT_CHANNEL: '#audit' },
      /SIP_RESET_AUDIT_CHANNEL must be a channel ID/,
    ],
    [
      'a bad TTL',
      { SIP_RESET_REQUEST_TTL_MINUTES: '-5' },
      /SIP_RESET_REQUEST_TTL_MINUTES must be a whole number/,
    ],
    [
      'a bad grant TTL',
      { SIP_RESET_GRANT_TTL_MINUTES: 'x' },
      /SIP_RESET_GRANT_TTL_MINUTES must be a whole number/,
    ],
    [
      'a bad rate limit',
      { SIP_RESET_MAX_REQUESTS_PER_HOUR: '0' },
      /SIP_RESET_MAX_REQUESTS_PER_HOUR must be greater than 0/,
    ],
    ['a bad log level', { LOG_LEVEL: 'verbose' }, /LOG_LEVEL must be one of error, warn, info, debug/],
    [
      'a database URL with a misspelt scheme',
      { DATABASE_URL: 'postgress://app:hunter22@db/sip' },
      /^Configuration error: DATABASE_URL has an unknown scheme: use postgres:\/\/…, sqlite:… or a file path$/,
    ],
  ];
  for (const [what, change, expected] of mistakes) {
    it(`names the variable for ${what}, on one line, without its value`, () => {
      expect(problem({ ...VALID_ENV, ...change })).to.match(expected);
    });
  }

  it('accepts file paths and sqlite: and postgres URLs as DATABASE_URL', () => {
    for (const url of ['data/x.sqlite', '/var/lib/sip-reset/db.sqlite', 'sqlite:x.db', 'postgresql://h/db']) {
      expect(loadConfig({ ...VALID_ENV, DATABASE_URL: url }).databaseUrl).to.equal(url);
    }
  });

  it('warns about an unknown variable of ours, and names a misspelt one and an empty list as having no effect', () => {
    const config = loadConfig({
      ...VALID_ENV,
      SIP_RESET_APPROVAL_CHANEL: 'C123',
      SLACK_BOT_TOKNE: 'xoxb-typo-value',
      SIP_RESET_SOMETHING_ELSE_ENTIRELY: '1',
      HOME: '/root',
    });
    expect(config.ineffective).to.deep.equal([
      'SIP_RESET_APPROVAL_CHANEL is not a setting of sip-reset and is ignored: did you mean SIP_RESET_APPROVAL_CHANNEL?',
      'SLACK_BOT_TOKNE is not a setting of sip-reset and is ignored: did you mean SLACK_BOT_TOKEN?',
    ]);
    expect(config.warnings).to.deep.equal([
      'SIP_RESET_SOMETHING_ELSE_ENTIRELY is not a setting of sip-reset and is ignored',
      'SIP_RESET_HELPDESK is empty: nobody may reset any account directly, except owners',
    ]);
    expect(JSON.stringify(config), 'never a value').not.to.contain('xoxb-typo-value');
    const withApprovals = loadConfig({ ...VALID_ENV, SIP_RESET_APPROVAL_CHANNEL: 'C123' });
    expect(withApprovals.ineffective).to.deep.equal([
      'SIP_RESET_HELPDESK and SIP_RESET_APPROVERS are empty: nobody can approve a request',
    ]);
    const emptyLists = loadConfig({
      ...VALID_ENV,
      SIP_RESET_HELPDESK: ' , ',
      SIP_RESET_APPROVERS: 'U111',
      SIP_RESET_PROTECTED: '',
    });
    expect(emptyLists.ineffective).to.deep.equal([
      'SIP_RESET_HELPDESK is set but lists nothing, so it has no effect: fill it in or remove it',
      'SIP_RESET_PROTECTED is set but lists nothing, so it has no effect: fill it in or remove it',
    ]);
    expect(emptyLists.warnings, 'the empty helpdesk said once').to.deep.equal([]);
    const clean = loadConfig({ ...VALID_ENV, SIP_RESET_HELPDESK: 'U111' });
    expect([...clean.warnings, ...clean.ineffective]).to.deep.equal([]);
  });

  it('names a misspelt variable when the one it should have been is missing', () => {
    const { ITNIO_APP_IDS: appIds, ...withoutAppIds } = VALID_ENV;
    expect(problem({ ...withoutAppIds, ITNIO_APP_ID: appIds })).to.equal(
      'Configuration error: ITNIO_APP_IDS is required (a comma list of appId or Label=appId); ITNIO_APP_ID is not a setting of sip-reset and is ignored: did you mean ITNIO_APP_IDS?',
    );
  });

  it("stops at a value still equal to .env.example's placeholder, naming the variable", () => {
    for (const [name, placeholder] of Object.entries(PLACEHOLDERS)) {
      expect(problem({ ...VALID_ENV, [name]: placeholder })).to.equal(
        `Configuration error: ${name} is still the example value from .env.example: replace it with your own`,
      );
    }
  });

  it('stops at a .env value lost to a #, naming the variable and the fix, unless the environment set it', () => {
    const dotenv = [
      'SIP_RESET_APPROVAL_CHANNEL=#phone-approvals',
      'ITNIO_API_SECRET=abc#def',
      'SIP_RESET_PROTECTED=9* # the emergency lines',
      'SLACK_SIGNING_SECRET="sec#ret"',
      '# SLACK_APP_TOKEN=#commented-out',
    ].join('\n');
    // What dotenv made of that file, over an environment that had none of it.
    const read = {
      ...VALID_ENV,
      SIP_RESET_APPROVAL_CHANNEL: '',
      ITNIO_API_SECRET: 'abc',
      SIP_RESET_PROTECTED: '9*',
      SLACK_SIGNING_SECRET: 'sec#ret',
    };
    let error: unknown;
    try {
      loadConfig(read, undefined, dotenv);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).problems).to.deep.equal([
      "SIP_RESET_APPROVAL_CHANNEL in .env starts with #, which .env reads as a comment, so it is empty: use the channel's ID (C…, at the bottom of the channel's details), not its #name",
      'ITNIO_API_SECRET in .env holds a # that .env reads as the start of a comment, so the value is cut there: put the whole value in quotes, ITNIO_API_SECRET="…"',
    ]);
    expect((error as Error).message, 'never a value')
      .not.to.contain('phone-approvals')
      .and.not.contain('def');
    // Set in the environment, which wins over .env: the .env lines do not count.
    const fromEnvironment = { ...read, SIP_RESET_APPROVAL_CHANNEL: 'C123', ITNIO_API_SECRET: 'abc#def' };
    expect(loadConfig(fromEnvironment, undefined, dotenv).approvalChannel).to.equal('C123');
  });

  it('names every bad variable at once', () => {
    const message = problem({ ...VALID_ENV, SLACK_BOT_TOKEN: undefined, PORT: 'x' });
    expect(message).to.contain('SLACK_BOT_TOKEN').and.contain('PORT');
  });

  it('explains an owners file that is missing, not JSON, or the wrong shape', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sip-reset-config-'));
    const notJson = join(dir, 'a.json');
    const wrongShape = join(dir, 'b.json');
    writeFileSync(notJson, '{oops');
    writeFileSync(wrongShape, JSON.stringify({ alice: '1001' }));
    expect(problem({ ...VALID_ENV, SIP_RESET_OWNERS_FILE: join(dir, 'none.json') })).to.match(
      /^SIP_RESET_OWNERS_FILE: cannot read .*none\.json \(ENOENT\)$/,
    );
    expect(problem({ ...VALID_ENV, SIP_RESET_OWNERS_FILE: notJson })).to.match(/is not valid JSON/);
    expect(problem({ ...VALID_ENV, SIP_RESET_OWNERS_FILE: wrongShape })).to.match(/must be \{"U123"/);
    const cases: Array<[unknown, RegExp]> = [
      [{ carol: ['1001'] }, /the key "carol" is not a Slack user ID \(U… or W…/],
      [{ U111: [1002] }, /the accounts of U111 must be quoted strings: write "1002", not 1002$/],
      [{ U111: '1002' }, /the value of U111 must be a list of SIP accounts, like \["1001"\]$/],
      [['U111'], /it must be one JSON object$/],
    ];
    for (const [content, expected] of cases) {
      writeFileSync(wrongShape, JSON.stringify(content));
      expect(problem({ ...VALID_ENV, SIP_RESET_OWNERS_FILE: wrongShape })).to.match(expected);
    }
  });

  it('lists the configured secrets for redaction', () => {
    expect(secretsOf(loadConfig({ ...VALID_ENV, SLACK_APP_TOKEN: 'xapp-app-token' }))).to.have.members([
      'xoxb-test-token-value',
      'signing-secret-value',
      'itnio-key-value',
      'itnio-secret-value',
      'xapp-app-token',
    ]);
  });

  it('documents every variable in .env.example and docs/configuration.md', () => {
    const example = readFileSync('.env.example', 'utf8');
    const reference = readFileSync('docs/configuration.md', 'utf8');
    expect(CONFIG_VARIABLES).to.have.length.greaterThan(15);
    for (const name of CONFIG_VARIABLES) {
      expect(example, name).to.match(new RegExp(`^#?${name}=`, 'm'));
      expect(example, `${name} has a comment`).to.match(new RegExp(`^# .+\\n#?${name}=`, 'm'));
      expect(reference, name).to.contain(`\`${name}\``);
    }
  });

  it('.env.example holds exactly the placeholders the app refuses, and is valid once they are replaced', () => {
    const example: Record<string, string> = {};
    const uncommented: Record<string, string> = {};
    for (const line of readFileSync('.env.example', 'utf8').split('\n')) {
      const match = /^(#?)([A-Z_]+)=(.*)$/.exec(line);
      if (!match) continue;
      example[match[2] as string] = match[3] as string;
      if (!match[1]) uncommented[match[2] as string] = match[3] as string;
    }
    for (const [name, placeholder] of Object.entries(PLACEHOLDERS))
      expect(example[name], name).to.equal(placeholder);
    expect(problem(uncommented).split('; ')).to.have.length(
      Object.keys(uncommented).filter((name) => name in PLACEHOLDERS).length,
    );
    const filledIn = Object.fromEntries(
      Object.entries(uncommented).map(([name, value]) => [
        name,
        name in PLACEHOLDERS ? value.replace(/your|0123/, 'REAL') : value,
      ]),
    );
    expect(loadConfig(filledIn).itnio.apps).to.deep.equal([{ label: 'Head office', appId: 'REAL-app-id' }]);
  });
});
