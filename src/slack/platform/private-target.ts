import { readMetadata } from './modal-metadata.js';

/** Where a private message may go: the best first. */
export interface PrivateTarget {
  userId: string;
  /** A response_url from the command or the click: works even where the bot is not a member. */
  responseUrl?: string;
  /** The channel the person acted in, for chat.postEphemeral. */
  channelId?: string;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);
const field = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;

/**
 * Who sent a request and where to answer them privately, read from any body Slack sends: a slash
 * command's form, a click (its own response_url and channel first), a modal submission (the
 * command's response_url and channel, which the reset modal carries in its metadata). The one
 * place a private target is built, for the listeners and the app's global hooks alike. A body
 * typed as naming its user (a click, a submission) always gives one; any other, read as it came,
 * gives undefined when it names nobody.
 */
export function privateTargetOf(body: { user: { id: string } }): PrivateTarget;
export function privateTargetOf(body: unknown): PrivateTarget | undefined;
export function privateTargetOf(body: unknown): PrivateTarget | undefined {
  const userId = text(field(body, 'user_id')) ?? text(field(field(body, 'user'), 'id'));
  if (!userId) return undefined;
  let responseUrl = text(field(body, 'response_url'));
  let channelId = text(field(body, 'channel_id')) ?? text(field(field(body, 'channel'), 'id'));
  if (!responseUrl) {
    const metadata = readMetadata(text(field(field(body, 'view'), 'private_metadata')));
    responseUrl = metadata.responseUrl;
    channelId ??= metadata.channelId;
  }
  return { userId, responseUrl, channelId };
}
