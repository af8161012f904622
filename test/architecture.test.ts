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
        ['src/slack/app.ts', './listeners/index.js'],
      ] as const)
        expect(await problems(importing(from), file), `${from} in ${file}`).to.equal(0);
    });
  });
});
