/**
 * The one error a bad configuration raises, wherever it is found (the environment, the owners file,
 * DATABASE_URL alone): main.ts and the offline tools print it as it is.
 */

/** Thrown for a bad environment: its message is one line meant for the admin, never holding a value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** Each problem alone, without the message's heading: the doctor gives each its own line. */
  readonly problems: readonly string[];

  constructor(problems: string | readonly string[], heading?: string) {
    const list = typeof problems === 'string' ? [problems] : problems;
    super(heading ? `${heading}: ${list.join('; ')}` : list.join('; '));
    this.problems = list;
  }
}
