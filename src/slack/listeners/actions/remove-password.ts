import type { ButtonClick } from './replies.js';

/** The password message's own button: deletes that ephemeral message. */
export async function removePasswordClicked({ ack, respond }: ButtonClick): Promise<void> {
  await ack();
  await respond({ delete_original: true });
}
