import type { EventEmitter } from 'node:events';
import type { Logger } from './domain/logger.js';

/**
 * The last line of defence for errors no handler caught. A rejected promise nobody awaited belongs
 * to one piece of work (a request, a timer): it is logged and the process goes on serving, since
 * ending it would drop every other reset in flight. An uncaught exception may have left shared
 * state half-changed, which Node documents as unsafe to resume from: it is logged and `fatal` is
 * called to stop the process.
 */
export function handleStrayErrors(
  proc: EventEmitter,
  logger: Pick<Logger, 'error'> & { silent: boolean },
  fatal: (error: unknown) => void,
): void {
  proc.on('unhandledRejection', (reason: unknown) => {
    logger.error('a failure nobody handled; still serving', { error: reason });
  });
  let stopping = false;
  proc.on('uncaughtException', (error: unknown) => {
    // Once stopping, a further exception only repeats the cause; and when the log's own output has
    // closed (EPIPE: the supervisor is gone), writing about it would only raise the next one.
    if (stopping) return;
    stopping = true;
    // Anything may be thrown (`throw undefined` too): this handler must not throw in turn.
    const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
    if (code === 'EPIPE') logger.silent = true;
    else logger.error('an uncaught exception; stopping', { error });
    fatal(error);
  });
}
