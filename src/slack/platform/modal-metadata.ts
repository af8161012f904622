/** What the reset modal carries from the command to its submission. */
export interface ResetModalMetadata {
  /** The command's response_url: the first way back to the requester, privately. */
  responseUrl?: string;
  /** The channel the command was typed in: the second way, with chat.postEphemeral. */
  channelId?: string;
}

/**
 * The reset modal's metadata, as a submission or a click inside it carries it back; empty for any
 * other modal's (the deny modal carries a request ID) and for what is not the reset modal's shape.
 */
export function readMetadata(raw: string | undefined): ResetModalMetadata {
  if (!raw?.startsWith('{')) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return {};
  }
  const { responseUrl, channelId } = (parsed ?? {}) as Record<string, unknown>;
  return {
    ...(typeof responseUrl === 'string' && responseUrl ? { responseUrl } : {}),
    ...(typeof channelId === 'string' && channelId ? { channelId } : {}),
  };
}

/** The lock-out review's metadata: the campaign its button starts. */
export function lockoutMetadata(campaignId: string): string {
  return JSON.stringify({ lockoutCampaignId: campaignId });
}

/** The campaign a lock-out review's click carries back, or undefined for any other view's metadata. */
export function readLockoutCampaignId(raw: string | undefined): string | undefined {
  if (!raw?.startsWith('{')) return undefined;
  try {
    const { lockoutCampaignId } = (JSON.parse(raw) ?? {}) as Record<string, unknown>;
    return typeof lockoutCampaignId === 'string' && lockoutCampaignId ? lockoutCampaignId : undefined;
  } catch {
    return undefined;
  }
}
