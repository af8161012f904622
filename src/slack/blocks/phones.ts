import type { PlainTextOption } from '@slack/types';
import type { Phone } from '../../domain/directory.js';
import type { Texts } from '../../i18n/index.js';
import { LIMITS, clip, mrkdwnLabel } from './format.js';

/** Slack's limits on an option of a select menu (PLATFORM.md). */
export const OPTION_LIMITS = { text: LIMITS.option, value: 150, options: 100 } as const;

/** How much of a phone's name or group an option shows, so that the group still fits after the name. */
const OPTION_NAME_MAX = 36;
const OPTION_GROUP_MAX = 24;

/** How much of a phone's name or group a message shows beside its account. */
const LABEL_MAX = 100;

/** What the directory says of a phone, for a person: the parts that are not the password, as given. */
export type PhoneLabel = Pick<Phone, 'phoneName' | 'groupName'>;

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * A phone as the picker offers it: "1003 · Reception desk · Head office" (the catalogue's format)
 * in plain text, within Slack's 75 characters, its value the account. Undefined for an account
 * longer than an option's value may be (no such account can be reset anyway).
 */
export function phoneOption(t: Texts, phone: Phone): PlainTextOption | undefined {
  if (phone.account === '' || phone.account.length > OPTION_LIMITS.value) return undefined;
  const text = t.phoneDirectory.option(
    oneLine(phone.account),
    clip(oneLine(phone.phoneName), OPTION_NAME_MAX),
    clip(oneLine(phone.groupName), OPTION_GROUP_MAX),
  );
  // Plain text: nothing in it is read as mrkdwn, a mention or an emoji code.
  return {
    text: { type: 'plain_text', text: clip(text, OPTION_LIMITS.text), emoji: false },
    value: phone.account,
  };
}

/** A phone's name and group for mrkdwn, escaped and unable to format or mention; undefined when both are empty. */
export function phoneLabel(t: Texts, phone: PhoneLabel | undefined): string | undefined {
  if (!phone) return undefined;
  const name = mrkdwnLabel(phone.phoneName, LABEL_MAX);
  const group = mrkdwnLabel(phone.groupName, LABEL_MAX);
  if (!name && !group) return undefined;
  if (!name || !group) return name || group;
  return t.phoneDirectory.phone(name, group);
}

/** An account (already escaped) beside its phone's name and group, when the directory knows them. */
export function accountWithPhone(t: Texts, account: string, phone: PhoneLabel | undefined): string {
  const label = phoneLabel(t, phone);
  return label ? t.phoneDirectory.withPhone(account, label) : account;
}
