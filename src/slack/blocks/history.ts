import type { AuditRecord } from '../../domain/audit.js';
import type { Texts } from '../../i18n/index.js';
import { LIMITS, escapeMrkdwn, mrkdwnLabel, slackDate, userMention } from './format.js';
import { failureWords } from './requests.js';
import { phoneLabel, type PhoneLabel } from './phones.js';

/**
 * What one recorded fact means, in words: never a raw code in front of a person. A value this
 * version has no words for (from another version) is shown escaped.
 */
function factWords(t: Texts, key: string, value: string): string {
  const h = t.history;
  const known = (words: Record<string, string>) => words[value] ?? escapeMrkdwn(value);
  switch (key) {
    case 'owner':
      return userMention(value);
    case 'path':
      return known(h.path);
    case 'route':
      return known(h.route);
    case 'timedOut':
      return h.timedOut;
    case 'reason':
    case 'failureCode':
      return failureWords(t, value);
    default:
      return escapeMrkdwn(value);
  }
}

/**
 * The history of an account, one line per event: when, who, what (and the delivery route or
 * failure); its title names the account's phone in each voice application whose directory lists it
 * (with the application when there are several).
 */
export function historyText(
  t: Texts,
  account: string,
  events: readonly AuditRecord[],
  phones: ReadonlyArray<{ appLabel: string; phone: PhoneLabel }> = [],
): string {
  const labels = phones.flatMap(({ appLabel, phone }) => {
    const label = phoneLabel(t, phone);
    if (!label) return [];
    return [
      phones.length > 1 ? t.phoneDirectory.phoneInApp(label, mrkdwnLabel(appLabel, LIMITS.appLabel)) : label,
    ];
  });
  const subject = labels.length
    ? t.phoneDirectory.withPhone(escapeMrkdwn(account), labels.join(t.phoneDirectory.phoneListSeparator))
    : escapeMrkdwn(account);
  const h = t.history;
  if (events.length === 0) return h.empty(subject);
  const lines = events.map((event) => {
    const facts = Object.entries(JSON.parse(event.detail ?? '{}') as Record<string, string | number>).map(
      ([key, value]) => factWords(t, key, String(value)),
    );
    const detail = facts.length > 0 ? h.detail(facts.join(h.factSeparator)) : '';
    const date = slackDate(event.at, t.dateFormat);
    const what = h.event[event.type];
    return event.actor === 'system'
      ? h.line(date, what, detail)
      : h.lineBy(date, userMention(event.actor), what, detail);
  });
  return [h.title(subject), ...lines].join('\n');
}
