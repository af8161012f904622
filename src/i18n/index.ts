import { en, type Messages } from './en.js';

export type { Messages };

/** Catalogues by Slack locale prefix; English is the fallback for any other language. */
const catalogues: Record<string, Messages> = { en };

export function messagesFor(locale: string | undefined): Messages {
  const language = (locale ?? 'en').split(/[-_]/)[0]?.toLowerCase() ?? 'en';
  return catalogues[language] ?? en;
}
