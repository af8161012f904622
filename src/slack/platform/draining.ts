import type { AnyMiddlewareArgs, RespondFn } from '@slack/bolt';
import type { Texts } from '../../i18n/index.js';

/**
 * The work the app has running: every Slack request's listener (which, with Bolt's early
 * acknowledgement, goes on long after Slack got its answer) and every sweep. A stop waits for it,
 * so a reset in flight delivers its password before the process ends.
 */
export class WorkInFlight {
  private readonly running = new Set<Promise<unknown>>();

  get size(): number {
    return this.running.size;
  }

  /** Counts `work` as running until it settles, and hands it back unchanged. */
  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const done = () => this.running.delete(work);
    work.then(done, done);
    return work;
  }

  /** Settles once nothing runs, including work that started while waiting. */
  async drained(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}

/**
 * Answers a request that arrives while the app stops, doing nothing else, so the person knows to
 * try again rather than wait. A command gets an ephemeral reply at once. A modal submission keeps
 * the modal open with what they typed: Slack shows a submission's error only under an input block,
 * so the note goes under the first one (closing the modal would lose their input, and a 503 would
 * show Slack's own vague error). A button click is acknowledged (else Slack marks it failed) and
 * answered privately, leaving the clicked message as it was: where it was clicked, or, for a click
 * with no response_url (the Home tab, a modal), by `tell`, the app's DM with the person.
 */
export async function refuseWhileStopping(
  args: AnyMiddlewareArgs,
  t: Texts,
  tell: (text: string) => Promise<unknown>,
): Promise<void> {
  if ('command' in args) {
    await args.ack({ response_type: 'ephemeral', text: t.restarting.command });
    return;
  }
  if ('view' in args && args.body.type === 'view_submission') {
    const input = args.view.blocks.find((block) => block.type === 'input');
    // Every modal of this app has an input; one without would simply close.
    await args.ack(
      input?.block_id
        ? { response_action: 'errors', errors: { [input.block_id]: t.restarting.submission } }
        : undefined,
    );
    return;
  }
  if ('options' in args) {
    // A picker's suggestion: no options now; the person types again in a minute.
    await args.ack({ options: [] });
    return;
  }
  if ('shortcut' in args) {
    // A shortcut has no way to answer but a modal, and its person sees nothing open: they try again.
    await args.ack();
    return;
  }
  if ('action' in args) {
    await args.ack();
    // A click on the Home tab or inside a modal has no response_url, so Bolt gives no respond().
    const respond = args.respond as RespondFn | undefined;
    if (respond)
      await respond({ response_type: 'ephemeral', replace_original: false, text: t.restarting.click });
    else await tell(t.restarting.click);
  }
}
