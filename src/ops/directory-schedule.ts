import type { PhoneDirectory } from '../domain/directory.js';
import { errorMessage } from '../domain/errors.js';

interface ScheduleLogger {
  warn(message: string, meta?: Record<string, unknown>): unknown;
}

/**
 * Refreshes the phone directory at start-up when it is stale, then every refresh interval. Each
 * instance runs one; the lease in the database lets one refresh at a time.
 */
export class DirectorySchedule {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly directory: PhoneDirectory,
    private readonly logger: ScheduleLogger,
  ) {}

  /** Starts the timer; the first refresh, when the directory is stale, runs in the background. */
  start(): void {
    this.stopped = false;
    void this.run(true);
    this.timer = setInterval(() => void this.run(false), this.directory.settings.refreshIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async run(onlyIfStale: boolean): Promise<void> {
    if (this.stopped) return;
    try {
      if (onlyIfStale && !(await this.directory.isStale())) return;
      await this.directory.refresh();
    } catch (error) {
      // The directory keeps what it had; the next round tries again.
      this.logger.warn('directory refresh could not run', { error: errorMessage(error) });
    }
  }
}
