const LATE = Symbol('late');

/**
 * What `read` answers within `limitMs`, or undefined when it took longer (`on.late`) or failed
 * (`on.failed`): the listener then goes on without it, within Slack's 3 seconds. A read cannot be
 * cancelled; it is only no longer awaited.
 */
export async function withinTime<T>(
  read: () => Promise<T>,
  limitMs: number,
  on: { late: () => void; failed: (error: unknown) => void },
): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof LATE>((resolve) => {
    timer = setTimeout(() => resolve(LATE), limitMs);
  });
  try {
    const result = await Promise.race([read(), late]);
    if (result !== LATE) return result as T;
    on.late();
  } catch (error) {
    on.failed(error);
  } finally {
    clearTimeout(timer);
  }
  return undefined;
}
