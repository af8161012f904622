import { expect } from 'chai';
import fc from 'fast-check';
import { checkAccount } from '../../src/domain/account.js';
import { parseAccountList } from '../../src/domain/account-list.js';

describe('domain: a pasted list of accounts', () => {
  it('splits on spaces, commas, semicolons and new lines, full-width ones too, keeping the order', () => {
    expect(parseAccountList('1001, 1002;1003\n1004\t1005 ，1006；1007、1008\r\n').accounts).to.deep.equal([
      '1001',
      '1002',
      '1003',
      '1004',
      '1005',
      '1006',
      '1007',
      '1008',
    ]);
  });

  it('drops duplicates, and reads a list of separators alone as empty', () => {
    expect(parseAccountList('1001 1002 1001,1002').accounts).to.deep.equal(['1001', '1002']);
    expect(parseAccountList(' ,; \n')).to.deep.equal({ accounts: [], refused: [] });
  });

  it('refuses each entry a single account would be refused for, saying why, once', () => {
    const list = parseAccountList(`1001 12 ${'9'.repeat(33)} 12 bad\u0000one 1002`);
    expect(list.accounts).to.deep.equal(['1001', '1002']);
    expect(list.refused).to.deep.equal([
      { account: '12', problem: 'too_short' },
      { account: '9'.repeat(33), problem: 'too_long' },
      { account: 'bad\u0000one', problem: 'bad_characters' },
    ]);
  });

  it('whatever is pasted: every account passes checkAccount, each once, and each entry is kept or refused', () => {
    const entry = fc.oneof(
      fc.stringMatching(/^[0-9]{4,6}$/),
      fc.string({ maxLength: 40 }),
      fc.constantFrom('', '1001', 'a\u200bb', '12'),
    );
    const separator = fc.constantFrom(' ', ',', ';', '\n', ', ', '；', '\t');
    fc.assert(
      fc.property(fc.array(fc.tuple(entry, separator), { maxLength: 30 }), (parts) => {
        const text = parts.map(([e, s]) => e + s).join('');
        const { accounts, refused } = parseAccountList(text);
        const all = [...accounts, ...refused.map((r) => r.account)];
        expect(new Set(all).size, 'each once').to.equal(all.length);
        for (const account of accounts) expect(checkAccount(account)).to.equal(undefined);
        for (const { account, problem } of refused) expect(checkAccount(account)).to.equal(problem);
        // Nothing invented: every entry is a piece of what was pasted, with no separator in it.
        for (const account of all) {
          expect(text).to.contain(account);
          expect(account).not.to.match(/[\s,;，；、]/u);
        }
      }),
    );
  });
});
