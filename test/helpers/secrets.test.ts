import { expect } from 'chai';
import { hexForms, secretsIn } from './secrets.js';

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

  it('finds a secret written in hex, lower or upper case', () => {
    const hex = Buffer.from('pw-one').toString('hex');
    expect([...secretsIn(`a ${hex} b`, ['pw-one'])]).to.deep.equal(['pw-one']);
    expect([...secretsIn(`a ${hex.toUpperCase()} b`, ['pw-one', 'TWO2'])]).to.deep.equal(['pw-one']);
    expect(hexForms('pw')).to.deep.equal(['7077', '7077'.toUpperCase()]);
  });
});
