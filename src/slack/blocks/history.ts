import type { AuditRecord } from '../../domain/audit.js';
import type { Messages } from '../../i18n/index.js';
import { escapeMrkdwn, slackDate, userMention } from './format.js';
import { failureWords } from './messages.js';

/**
 * What one recorded fact means, in words: never a raw code in front of a person. A value this
 * version has no words for (from another version) is shown escaped.
 */
function factWords(t: Messages, key: string, value: string): string {
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

/** The history of an account, one line per event: when, who, what (and the delivery route or failure). */
export function historyText(t: Messages, account: string, events: readonly AuditRecord[]): string {
  const h = t.history;
  const subject = escapeMrkdwn(account);
  if (events.length === 0) return h.empty(subject);
  const lines = events.map((event) => {
    const facts = Object.entries(JSON.parse(event.detail ?? '{}') as Record<string, string | number>).map(
      ([key, value]) => factWords(t, key, String(value)),
    );
    const detail = facts.length > 0 ? h.detail(facts.join(t.listSeparator)) : '';
    const date = slackDate(event.at, t.dateFormat);
    const what = h.event[event.type];
    return event.actor === 'system'
      ? h.line(date, what, detail)
      : h.lineBy(date, userMention(event.actor), what, detail);
  });
  return [h.title(subject), ...lines].join('\n');
}
