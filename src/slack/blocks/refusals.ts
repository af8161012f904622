import type { DomainError } from '../../domain/errors.js';
import type { Texts } from '../../i18n/index.js';
import { slackDate, userMention } from './format.js';

/** A refusal from the domain, as a sentence for the person who asked. */
export function refusalText(t: Texts, error: DomainError): string {
  const text = t.errors[error.code];
  const open = error.request;
  if (error.code === 'open_request_exists' && open) {
    const detail = t.openRequestDetail(
      userMention(open.requesterId),
      slackDate(open.createdAt, t.dateFormat),
    );
    return [text, detail].join(t.sentenceSeparator);
  }
  if (error.code === 'open_request_exists') return [text, t.openRequestWhoCanHelp].join(t.sentenceSeparator);
  return text;
}
