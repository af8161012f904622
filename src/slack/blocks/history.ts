import type { AuditRecord } from '../../domain/audit.js';
import type { Messages } from '../../i18n/index.js';
import { LIMITS, escapeMrkdwn, mrkdwnLabel, slackDate, userMention } from './format.js';
import { phoneLabel, type PhoneLabel } from './phones.js';

/**
 * The history of an account, one line per event: when, who, what (and the delivery route or
 * failure); its title names the account's phone in each voice application whose directory lists it
 * (with the application when there are several).
 */
export function historyText(
  t: Messages,
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
