import { EventEmitter } from 'node:events';
import { expect } from 'chai';
import { handleStrayErrors } from '../src/stray-errors.js';
import { captureLogger } from './helpers/logs.js';

describe('errors nobody handled', () => {
  it('logs a rejection nobody awaited, redacted, and keeps the process serving', () => {
    const logs = captureLogger();
    logs.redactor.remember('Zi6CsOka');
    const proc = new EventEmitter();
    const fatal: unknown[] = [];
    handleStrayErrors(proc, logs.logger, (error) => fatal.push(error));
    proc.emit('unhandledRejection', new Error('delivery of Zi6CsOka failed'), Promise.resolve());
    proc.emit('unhandledRejection', 'a bare reason', Promise.resolve());
    expect(fatal).to.deep.equal([]);
    expect(logs.lines().map((line) => [line.level, line.message])).to.deep.equal([
      ['error', 'a failure nobody handled; still serving'],
      ['error', 'a failure nobody handled; still serving'],
    ]);
    expect(logs.text()).to.contain('delivery of [REDACTED] failed').and.contain('a bare reason');
    expect(logs.text()).not.to.contain('Zi6CsOka');
  });

  it('logs an uncaught exception and stops the process', () => {
    const logs = captureLogger();
    const proc = new EventEmitter();
    const fatal: unknown[] = [];
    handleStrayErrors(proc, logs.logger, (error) => fatal.push(error));
    const error = new Error('state may be half-changed');
    proc.emit('uncaughtException', error, 'uncaughtException');
    expect(fatal).to.deep.equal([error]);
    expect(logs.lines()).to.have.length(1);
    expect(logs.lines()[0]).to.include({ level: 'error', message: 'an uncaught exception; stopping' });
  });

  it('logs and stops on anything thrown, not only an Error (undefined, null), without throwing itself', () => {
    const logs = captureLogger();
    const proc = new EventEmitter();
    const fatal: unknown[] = [];
    handleStrayErrors(proc, logs.logger, (error) => fatal.push(error));
    proc.emit('unhandledRejection', undefined, Promise.resolve());
    proc.emit('uncaughtException', null, 'uncaughtException');
    expect(fatal).to.deep.equal([null]);
    expect(logs.lines().map((line) => line.message)).to.deep.equal([
      'a failure nobody handled; still serving',
      'an uncaught exception; stopping',
    ]);
  });

  it('stops once, quietly, when its own output has closed, instead of logging into it for ever', () => {
    const logs = captureLogger();
    const proc = new EventEmitter();
    const fatal: unknown[] = [];
    handleStrayErrors(proc, logs.logger, (error) => fatal.push(error));
    const closed = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    for (let i = 0; i < 3; i += 1) proc.emit('uncaughtException', closed, 'uncaughtException');
    expect(fatal).to.deep.equal([closed]);
    logs.logger.error('nobody reads this');
    expect(logs.lines()).to.deep.equal([]);
  });
});
