import { en, type Texts } from './en/index.js';
import { zhCN } from './zh-CN/index.js';

export type { Texts };

/** The catalogues there are, by the locale SIP_RESET_DEFAULT_LOCALE names them with. */
export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

const catalogues: Record<Locale, Texts> = { en, 'zh-CN': zhCN };

/** A locale's catalogue: every text the app shows, as `t` holds them. */
export function catalogueFor(locale: Locale): Texts {
  return catalogues[locale];
}

/**
 * The catalogue for a Slack locale (an IETF tag such as `en-US` or `zh-TW`), by its language part
 * in any case: every Chinese locale reads Simplified Chinese. Undefined for a language without one.
 */
export function localeOf(slackLocale: string | undefined): Locale | undefined {
  const language = slackLocale?.split(/[-_]/)[0]?.toLowerCase();
  if (language === 'zh') return 'zh-CN';
  if (language === 'en') return 'en';
  return undefined;
}
