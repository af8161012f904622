import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';

/** The password message's own button: deletes that ephemeral message. */
export async function removePasswordClicked({
  ack,
  respond,
}: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> {
  await ack();
  await respond({ delete_original: true });
}
