import { expect } from 'chai';
import { ESLint } from 'eslint';

/** The rules of the house (DESIGN.md): dependencies point inward, and the linter says so. */
describe('architecture', () => {
  const eslint = new ESLint();
  const problems = async (code: string, filePath: string) => {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').length;
  };
  const importing = (from: string) => `import type { X } from '${from}';\nexport type Y = X;\n`;
  /** How many places in `code` name what only Slack has, as the domain's rule sees them. */
  const slackWords = async (code: string, filePath = 'src/domain/example.ts') => {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax').length;
  };

  for (const from of [
    '../config/index.js',
    '../store/sql-store.js',
    '../slack/app.js',
    '../itnio/index.js',
    '@slack/bolt',
    'kysely',
  ]) {
    it(`refuses an import of ${from} in src/domain`, async () => {
      expect(await problems(importing(from), 'src/domain/example.ts')).to.equal(1);
    });
  }

  it('lets the domain import its own modules', async () => {
    expect(await problems(importing('./ports.js'), 'src/domain/example.ts')).to.equal(0);
  });

  for (const [what, code] of [
    ['a channel field', 'export interface R {\n  approvalChannel: string | null;\n}\n'],
    ["a message's ts, in camelCase", 'export interface R {\n  grantTs: string | null;\n}\n'],
    ["a message's ts, bare", 'export type Redraw = (ts: string) => void;\n'],
    ["a message's ts, in snake_case, as a quoted key", "export const row = { 'approval_ts': '1.2' };\n"],
    ['a channel, as a variable', "export const channel = 'C1';\n"],
    ['a Slack type', 'export interface SlackMessage {\n  text: string;\n}\n'],
    ["a Slack package's type, inline", "export type A = import('@slack/bolt').App;\n"],
    ['a Slack package, loaded when needed', "export const load = () => import('@slack/web-api');\n"],
  ] as const) {
    it(`refuses ${what} in src/domain`, async () => {
      expect(await slackWords(code)).to.equal(1);
    });
  }

  it("lets the domain say what it means in its own words, and its codes name Slack's channel", async () => {
    const code = [
      '// Slack shows it in a channel: a comment may say so.',
      'export interface R {',
      '  announcedAt: number | null;',
      '  requiredApprovals: number;',
      '  counts: number[];',
      '  results: string[];',
      '  accounts: string[];',
      '}',
      "export const code = 'approval_channel_refused';",
      "export const refusal = { reason: 'no_approval_channel' };",
      '',
    ].join('\n');
    expect(await slackWords(code)).to.equal(0);
  });

  it('lets the Slack side and the store name channels and message ts', async () => {
    const code =
      'export interface MessageRef {\n  channel: string;\n  ts: string;\n  approvalTs: string;\n}\n';
    expect(await slackWords(code, 'src/slack/example.ts')).to.equal(0);
    expect(await slackWords(code, 'src/store/example.ts')).to.equal(0);
  });

  for (const from of [
    '../slack/app.js',
    '../slack/listeners/actions/index.js',
    '../composition.js',
    '../composition/index.js',
    '../cli/doctor.js',
  ]) {
    it(`refuses an import of ${from} in src/ops`, async () => {
      expect(await problems(importing(from), 'src/ops/example.ts')).to.equal(1);
    });
  }

  it("lets the runtime routes import the domain, each other and Bolt's public types", async () => {
    for (const from of ['../domain/ports.js', './server.js', '@slack/bolt'])
      expect(await problems(importing(from), 'src/ops/example.ts'), from).to.equal(0);
  });

  for (const [from, file] of [
    ['../cli/doctor.js', 'src/slack/example.ts'],
    ['../../../cli/run-as-script.js', 'src/slack/listeners/actions/example.ts'],
    ['../../cli/doctor.js', 'src/slack/platform/example.ts'],
    ['@slack/bolt/dist/App.js', 'src/slack/listeners/actions/example.ts'],
  ] as const) {
    it(`refuses an import of ${from} in ${file}`, async () => {
      expect(await problems(importing(from), file)).to.equal(1);
    });
  }

  it("refuses an import of Bolt's internals in src/slack, and lets it import Bolt's index", async () => {
    expect(await problems(importing('@slack/bolt/dist/App.js'), 'src/slack/app.ts')).to.equal(1);
    expect(await problems(importing('@slack/bolt'), 'src/slack/app.ts')).to.equal(0);
  });

  it('lets the Slack side import the runtime routes it reports to', async () => {
    expect(await problems(importing('../ops/metrics.js'), 'src/slack/example.ts')).to.equal(0);
  });

  describe('the Slack side reads top-down: listeners → flows → outbound → blocks → platform', () => {
    for (const [file, from] of [
      ['src/slack/platform/example.ts', '../blocks/format.js'],
      ['src/slack/platform/example.ts', '../outbound/notices.js'],
      ['src/slack/platform/example.ts', '../flows/reset-flow.js'],
      ['src/slack/platform/example.ts', '../listeners/routing.js'],
      ['src/slack/platform/example.ts', '../services.js'],
      ['src/slack/blocks/example.ts', '../outbound/request-messages.js'],
      ['src/slack/blocks/example.ts', '../services.js'],
      ['src/slack/outbound/example.ts', '../flows/reset-form.js'],
      ['src/slack/outbound/example.ts', '../services.js'],
      ['src/slack/flows/example.ts', '../listeners/actions/replies.js'],
      ['src/slack/flows/example.ts', '../app.js'],
      ['src/slack/listeners/actions/example.ts', '../../app.js'],
      ['src/slack/services.ts', './flows/reset-flow.js'],
      ['src/slack/services.ts', './listeners/routing.js'],
    ] as const) {
      it(`refuses an import of ${from} in ${file}`, async () => {
        expect(await problems(importing(from), file)).to.equal(1);
      });
    }

    it('lets each wing import the wings below it and its own modules', async () => {
      for (const [file, from] of [
        ['src/slack/listeners/actions/example.ts', '../../flows/reset-flow.js'],
        ['src/slack/listeners/actions/example.ts', '../../services.js'],
        ['src/slack/listeners/actions/example.ts', '../../outbound/notices.js'],
        ['src/slack/listeners/actions/example.ts', '../../blocks/format.js'],
        ['src/slack/listeners/actions/example.ts', '../../platform/ids.js'],
        ['src/slack/listeners/actions/example.ts', '../routing.js'],
        ['src/slack/flows/example.ts', '../services.js'],
        ['src/slack/flows/example.ts', '../outbound/private-delivery.js'],
        ['src/slack/outbound/example.ts', '../blocks/requests.js'],
        ['src/slack/outbound/example.ts', '../platform/web-api-errors.js'],
        ['src/slack/blocks/example.ts', '../platform/ids.js'],
        ['src/slack/platform/example.ts', './time-boxed-cache.js'],
        ['src/slack/services.ts', './outbound/notices.js'],
        // The lock-out engine's interface, which the listeners are given: types alone.
        ['src/slack/services.ts', './flows/lockout-launcher.js'],
        ['src/slack/app.ts', './listeners/index.js'],
      ] as const)
        expect(await problems(importing(from), file), `${from} in ${file}`).to.equal(0);
    });
  });
});
