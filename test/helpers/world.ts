import { createWorld, type World, type WorldOptions } from '../../src/sandbox/world.js';
import { sqliteDatabase } from './databases.js';
import { captureLogger, type CapturedLogs } from './logs.js';

export interface TestWorld extends World {
  logs: CapturedLogs;
}

/** Every log line of every world in this run, to check no password ever reached one. */
export const allLogs: string[] = [];

export async function testWorld(options: Partial<WorldOptions> = {}): Promise<TestWorld> {
  const logs = captureLogger();
  const world = await createWorld({
    databaseUrl: sqliteDatabase().url,
    logger: logs.logger,
    redactor: logs.redactor,
    ...options,
  });
  const stop = world.stop.bind(world);
  return Object.assign(world, {
    logs,
    async stop() {
      await stop();
      allLogs.push(logs.text());
    },
  });
}
