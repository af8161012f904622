import { expect } from 'chai';
import { secretsIn } from './secrets.js';

describe('test helper: secretsIn', () => {
  it('finds every secret of any length anywhere in a text, and nothing else', () => {
    const text = 'xx{"a":"pw-one"}yyTWO2\\u0000pw-three';
    expect([...secretsIn(text, ['pw-one', 'TWO2', 'pw-three', 'absent', ''])].sort()).to.deep.equal([
      'TWO2',
      'pw-one',
      'pw-three',
    ]);
    expect(secretsIn('', ['a']).size).to.equal(0);
  });
});
