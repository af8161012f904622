/** Slack's documented limits on Block Kit text, in characters. */
export const LIMITS = {
  sectionText: 3000,
  field: 2000,
  header: 150,
  button: 75,
  option: 75,
  modalTitle: 24,
  /** A screen reader's name for a button. */
  accessibilityLabel: 75,
  /** The confirmation dialog's title, text and buttons. */
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  /** Ours: an app label is a name, and a long one would crowd every sentence it is in. */
  appLabel: 80,
} as const;

/** Escapes text for mrkdwn, so user-written text cannot mention, link or ping (`<!channel>`). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Escapes text within `max` characters of the escaped result, marking a cut with `…`. The cut
 * falls between characters of the original, never inside an entity such as `&amp;` (which would
 * show raw), and never inside a surrogate pair.
 */
export function escapeWithin(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  let out = '';
  for (const char of text) {
    const next = escapeMrkdwn(char);
    if (out.length + next.length > max - 1) break;
    out += next;
  }
  return `${out}…`;
}

/**
 * mrkdwn's formatting characters, each with a look-alike that formats nothing. Slack documents an
 * escape for `&`, `<` and `>` only (PLATFORM.md): `*bold*`, `_italic_`, `~strike~` and `` `code` ``
 * have none, so a label an ITNIO admin chose shows these as their look-alikes instead.
 */
const FORMATTING_LOOKALIKES: Record<string, string> = {
  '*': '\u2217',
  _: '\u02cd',
  '~': '\u223c',
  '`': '\u02cb',
};

/**
 * A label from outside (a phone's name or group, from the vendor's directory) for mrkdwn: on one
 * line, within `max` characters, escaped, and unable to format, mention or link.
 */
export function mrkdwnLabel(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return escapeWithin(
    oneLine.replace(/[*_~`]/g, (c) => FORMATTING_LOOKALIKES[c] ?? c),
    max,
  );
}

/**
 * What a request is about, the account and the app's label, escaped: the account is typed by a
 * person (at most 32 characters), the label comes from the configuration and is cut to a name's length.
 */
export function mrkdwnSubject(
  request: { account: string },
  appLabel: string,
): [account: string, app: string] {
  return [escapeMrkdwn(request.account), escapeMrkdwn(clip(appLabel, LIMITS.appLabel))];
}

export const userMention = (userId: string): string => `<@${userId}>`;
/** A user, or a user group (S…), mentioned so that its members are notified. */
export const principalMention = (id: string): string =>
  id.startsWith('S') ? `<!subteam^${id}>` : userMention(id);
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

/** Keeps plain text within a Block Kit limit, marking the cut (never inside a surrogate pair). */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const char of text) {
    if (out.length + char.length > max - 1) break;
    out += char;
  }
  return `${out}…`;
}
