import type { AuditRecord } from '../../domain/audit.js';
import type { Messages } from '../../i18n/index.js';
import { escapeMrkdwn, slackDate, userMention } from './format.js';

/** The history of an account, one line per event: when, who, what (and the delivery route or failure). */
export function historyText(t: Messages, account: string, events: readonly AuditRecord[]): string {
  const subject = escapeMrkdwn(account);
  if (events.length === 0) return t.history.empty(subject);
  const lines = events.map((event) => {
    const who = event.actor === 'system' ? '' : ` ${userMention(event.actor)}`;
    const facts = Object.entries(JSON.parse(event.detail ?? '{}') as Record<string, string | number>).map(
      ([key, value]) => (key === 'owner' ? userMention(String(value)) : escapeMrkdwn(String(value))),
    );
    const detail = facts.length > 0 ? ` (${facts.join(', ')})` : '';
    return `• ${slackDate(event.at, t.dateFormat)}${who}: ${t.history.event[event.type]}${detail}`;
  });
  return [t.history.title(subject), ...lines].join('\n');
}
