/** Escapes text for mrkdwn, so user-written text cannot mention, link or ping (`<!channel>`). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** What a request is about, the account and the app's label, escaped: the account is typed by a person. */
export function mrkdwnSubject(
  request: { account: string },
  appLabel: string,
): [account: string, app: string] {
  return [escapeMrkdwn(request.account), escapeMrkdwn(appLabel)];
}

export const userMention = (userId: string): string => `<@${userId}>`;
export const channelMention = (channelId: string): string => `<#${channelId}>`;

/**
 * A date each viewer sees in their own time zone and language; the fallback (UTC) is for clients
 * that cannot render it.
 */
export function slackDate(ms: number, format: string): string {
  const seconds = Math.floor(ms / 1000);
  const fallback = `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${seconds}^${format}|${fallback}>`;
}

/** Keeps text within a Block Kit limit, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
