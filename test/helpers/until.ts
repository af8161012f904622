/** Resolves once `check` holds, looking again at every turn of the event loop (bounded, no timers). */
export async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 20_000; i += 1) {
    if (check()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`never happened: ${what}`);
}
