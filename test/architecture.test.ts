import { expect } from 'chai';
import { ESLint } from 'eslint';

/** The rule of the house (DESIGN.md): dependencies point inward, and the linter says so. */
describe('architecture', () => {
  const eslint = new ESLint();
  const problems = async (code: string) => {
    const [result] = await eslint.lintText(code, { filePath: 'src/domain/example.ts' });
    return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').length;
  };

  for (const from of [
    '../config.js',
    '../store/sql-store.js',
    '../slack/app.js',
    '../itnio/itnio-client.js',
    '@slack/bolt',
    'kysely',
  ]) {
    it(`refuses an import of ${from} in src/domain`, async () => {
      expect(await problems(`import type { X } from '${from}';\nexport type Y = X;\n`)).to.equal(1);
    });
  }

  it('lets the domain import its own modules', async () => {
    expect(await problems(`import type { Store } from './ports.js';\nexport type Y = Store;\n`)).to.equal(0);
  });
});
