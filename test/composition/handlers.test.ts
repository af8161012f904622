import { expect } from 'chai';
import sinon from 'sinon';
import { errorMessage } from '../../src/domain/errors.js';
import { testWorld, worldTest, type TestWorld } from '../helpers/world.js';

describe("the composition root's handlers: what they log of anything thrown", () => {
  let world: TestWorld | undefined;
  afterEach(() => world?.stop());

  worldTest(
    'logs a sweep that failed with null, not an Error, and neither throws nor leaves a rejection',
    async () => {
      const w = (world = await testWorld());
      const stray: unknown[] = [];
      const onStray = (reason: unknown) => stray.push(reason);
      process.on('unhandledRejection', onStray);
      try {
        // The sweep's first read: a driver that rejects with something that is not an Error.
        sinon.stub(w.store, 'listDue').callsFake(() => Promise.reject(null));
        await w.sipReset.sweep();
        await new Promise((resolve) => setImmediate(resolve));
        expect(stray).to.deep.equal([]);
        expect(w.logs.lines().find((line) => line.message === 'sweep failed')).to.include({ error: 'null' });
      } finally {
        process.off('unhandledRejection', onStray);
      }
    },
  );
});

describe('errorMessage: what a log says of anything thrown', () => {
  it("says an Error's message, and anything else without throwing", () => {
    expect(errorMessage(new Error('connection lost'))).to.equal('connection lost');
    expect(errorMessage(undefined)).to.equal('undefined');
    expect(errorMessage(null)).to.equal('null');
    expect(errorMessage('a bare reason')).to.equal('a bare reason');
    expect(errorMessage({ message: 42 })).to.equal('[object Object]');
    expect(errorMessage(Object.create(null))).to.equal('object');
  });
});
