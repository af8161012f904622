/**
 * Slack's mrkdwn and plain_text as HTML, for the playground's page. Every character of the text
 * reaches the page escaped: only the markup this file writes itself is HTML, so a reason typed as
 * `<img onerror=…>` shows as those characters, as Slack shows it.
 */

/** Who a viewer is, for what mrkdwn shows differently to each: dates, and names in mentions. */
export interface Viewer {
  /** An IANA time zone, such as `Asia/Shanghai`. */
  timeZone: string;
  /** The viewer's Slack language: `en-US` or `zh-CN`. */
  locale: string;
  /** The display name of a user, user group or channel ID. */
  name(id: string): string;
  now(): number;
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The three entities Slack's mrkdwn escapes (and the only ones it decodes). */
function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The emoji this app's catalogues use, as Slack draws them; any other `:code:` stays as typed. */
const EMOJI: Record<string, string> = {
  bell: '🔔',
  heavy_multiplication_x: '✖️',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  inbox_tray: '📥',
  information_source: 'ℹ️',
  leftwards_arrow_with_hook: '↩️',
  lock: '🔒',
  no_entry: '⛔',
  no_entry_sign: '🚫',
  shield: '🛡️',
  warning: '⚠️',
  white_check_mark: '✅',
  x: '❌',
};

/** Emoji codes in escaped HTML text (a code is letters, digits, `_`, `+` and `-`, none of them HTML). */
function emoji(html: string): string {
  return html.replace(/:([a-z0-9_+-]+):/g, (code, name: string) => EMOJI[name] ?? code);
}

/** plain_text: escaped, with emoji codes drawn unless the object says `emoji: false`. */
export function plainText(text: string, withEmoji = true): string {
  const html = escapeHtml(text);
  return withEmoji ? emoji(html) : html;
}

// Private-use characters stand for rendered pieces while the rest of the text is formatted; any in
// the input itself are replaced first, so text cannot forge one.
const PLACEHOLDER_BASE = 0xe000;
const PRIVATE_USE = /[\uE000-\uF8FF]/g;

/**
 * mrkdwn as Slack renders it in messages: `*bold*`, `_italics_`, `~strike~`, `` `code` ``,
 * ```` ``` ```` blocks, `>` quotes, links (`<https://…|label>`), user, channel and group mentions,
 * `<!here>`-style specials, `<!date^…>` in the viewer's time zone and language, and the `&lt;`,
 * `&gt;`, `&amp;` escapes shown as the characters they stand for.
 */
export function mrkdwn(text: string, viewer: Viewer): string {
  const pieces: string[] = [];
  const hold = (html: string) => {
    pieces.push(html);
    return String.fromCharCode(PLACEHOLDER_BASE + pieces.length - 1);
  };
  let source = text.replace(PRIVATE_USE, '\uFFFD');
  source = source.replace(/```([\s\S]*?)```/g, (_, code: string) =>
    hold(`<pre class="pre">${escapeHtml(decodeSlackEntities(code.replace(/^\n/, '')))}</pre>`),
  );
  source = source.replace(/`([^`\n]+)`/g, (_, code: string) =>
    hold(`<code>${escapeHtml(decodeSlackEntities(code))}</code>`),
  );
  source = source.replace(/<([^<>\n]*)>/g, (whole, inner: string) => {
    const html = special(inner, viewer);
    return html === undefined ? whole : hold(html);
  });
  let html = escapeHtml(decodeSlackEntities(source));
  html = emphasis(html, '\\*', 'b');
  html = emphasis(html, '_', 'i');
  html = emphasis(html, '~', 's');
  html = emoji(html);
  html = quotes(html);
  html = html.replace(/\n/g, '<br>');
  return html.replace(/[\uE000-\uF8FF]/g, (char) => pieces[char.charCodeAt(0) - PLACEHOLDER_BASE] ?? '');
}

/**
 * A pair of markers around text, at word boundaries only (Slack's rule: `a*b*c` stays as typed,
 * which is why the Chinese catalogue sets bold off with spaces).
 */
function emphasis(html: string, marker: string, tag: string): string {
  const pattern = new RegExp(
    `(^|[^\\p{L}\\p{N}\\p{Co}${marker}])${marker}([^\\s${marker}](?:[^${marker}\\n]*?[^\\s${marker}])?)${marker}(?![\\p{L}\\p{N}\\p{Co}])`,
    'gu',
  );
  return html.replace(pattern, (_, before: string, inner: string) => `${before}<${tag}>${inner}</${tag}>`);
}

/** Lines starting with `> ` (escaped by now) as a quote. */
function quotes(html: string): string {
  return html
    .split('\n')
    .map((line) => (line.startsWith('&gt; ') ? `<q class="quote">${line.slice(5)}</q>` : line))
    .join('\n');
}

/** What Slack shows for `<…>`, or undefined for text in angle brackets that is nothing of Slack's. */
function special(inner: string, viewer: Viewer): string | undefined {
  const [target = '', label] = splitLabel(inner);
  const pill = (text: string, kind: string) => `<span class="mention ${kind}">${escapeHtml(text)}</span>`;
  if (/^@[UW][A-Z0-9]+$/.test(target)) return pill(`@${viewer.name(target.slice(1))}`, 'user');
  if (/^#[CG][A-Z0-9]+$/.test(target))
    return pill(label ? `#${decodeSlackEntities(label)}` : viewer.name(target.slice(1)), 'channel');
  const subteam = /^!subteam\^(S[A-Z0-9]+)$/.exec(target);
  if (subteam) {
    const name = label ? decodeSlackEntities(label) : `@${viewer.name(subteam[1] as string)}`;
    return pill(name, 'group');
  }
  const broadcast = /^!(here|channel|everyone)$/.exec(target);
  if (broadcast) return pill(`@${broadcast[1] as string}`, 'broadcast');
  const date = /^!date\^(\d+)\^([^^]*)(?:\^(.*))?$/.exec(target);
  if (date) {
    const shown = slackDateText(Number(date[1]) * 1000, decodeSlackEntities(date[2] as string), viewer);
    return `<span class="date" title="${escapeHtml(decodeSlackEntities(label ?? ''))}">${escapeHtml(shown)}</span>`;
  }
  if (/^(https?:\/\/|mailto:)/i.test(target)) {
    const href = decodeSlackEntities(target);
    const text = label === undefined ? href : decodeSlackEntities(label);
    return `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${escapeHtml(text)}</a>`;
  }
  return undefined;
}

function splitLabel(inner: string): [string, string | undefined] {
  const bar = inner.indexOf('|');
  return bar < 0 ? [inner, undefined] : [inner.slice(0, bar), inner.slice(bar + 1)];
}

/** The calendar day of an instant in a time zone, as a number of days, for "today" and "yesterday". */
function dayNumber(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(ms);
  return Date.parse(`${parts}T00:00:00Z`) / 86_400_000;
}

const ORDINAL: Record<string, string> = { one: 'st', two: 'nd', few: 'rd', other: 'th' };

/**
 * A `<!date^…>` format filled in for the viewer, as Slack's clients do: `{date_num}`, `{date}`,
 * `{date_short}`, `{date_long}`, their `_pretty` forms (today, yesterday, tomorrow), `{time}` and
 * `{time_secs}`, in the viewer's language and time zone.
 */
export function slackDateText(ms: number, format: string, viewer: Viewer): string {
  const { timeZone } = viewer;
  const chinese = viewer.locale.startsWith('zh');
  const locale = chinese ? 'zh-CN' : 'en-US';
  const part = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(locale, { timeZone, ...options }).format(ms);
  const day = (style: 'short' | 'medium' | 'long') => {
    if (chinese)
      return part({
        year: 'numeric',
        month: 'long',
        day: 'numeric',
        ...(style === 'long' ? { weekday: 'long' } : {}),
      });
    if (style === 'short') return part({ year: 'numeric', month: 'short', day: 'numeric' });
    const dayOfMonth = Number(part({ day: 'numeric' }));
    const suffix = ORDINAL[new Intl.PluralRules('en-US', { type: 'ordinal' }).select(dayOfMonth)] ?? 'th';
    const date = `${part({ month: 'long' })} ${dayOfMonth}${suffix}, ${part({ year: 'numeric' })}`;
    return style === 'long' ? `${part({ weekday: 'long' })}, ${date}` : date;
  };
  const pretty = (style: 'short' | 'medium' | 'long') => {
    const offset = dayNumber(ms, timeZone) - dayNumber(viewer.now(), timeZone);
    const words = chinese
      ? { '-1': '昨天', '0': '今天', '1': '明天' }
      : { '-1': 'yesterday', '0': 'today', '1': 'tomorrow' };
    return words[String(offset) as keyof typeof words] ?? day(style);
  };
  const tokens: Record<string, () => string> = {
    date_num: () =>
      new Intl.DateTimeFormat('en-CA', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      }).format(ms),
    date: () => day('medium'),
    date_short: () => day('short'),
    date_long: () => day('long'),
    date_pretty: () => pretty('medium'),
    date_short_pretty: () => pretty('short'),
    date_long_pretty: () => pretty('long'),
    time: () => part({ hour: 'numeric', minute: '2-digit' }),
    time_secs: () => part({ hour: 'numeric', minute: '2-digit', second: '2-digit' }),
  };
  return format.replace(/\{([a-z_]+)\}/g, (whole, token: string) => tokens[token]?.() ?? whole);
}
