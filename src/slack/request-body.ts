import type { PrivateTarget } from './delivery.js';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);
const field = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;

/**
 * Who sent a request and where to answer them privately, read from any body Slack sends (a slash
 * command's form, a click, a modal submission whose metadata carries the command's response_url).
 * Undefined when the body names nobody.
 */
export function privateTargetOf(body: unknown): PrivateTarget | undefined {
  const userId = text(field(body, 'user_id')) ?? text(field(field(body, 'user'), 'id'));
  if (!userId) return undefined;
  let responseUrl = text(field(body, 'response_url'));
  let channelId = text(field(body, 'channel_id')) ?? text(field(field(body, 'channel'), 'id'));
  const metadata = text(field(field(body, 'view'), 'private_metadata'));
  if (!responseUrl && metadata?.startsWith('{')) {
    try {
      const parsed = JSON.parse(metadata) as unknown;
      responseUrl = text(field(parsed, 'responseUrl'));
      channelId ??= text(field(parsed, 'channelId'));
    } catch {
      // Not the reset modal's metadata: the DM is left.
    }
  }
  return { userId, responseUrl, channelId };
}
