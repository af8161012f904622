/**
 * How texts are put together: the date format, the separators between names and sentences, a
 * duration. In Simplified Chinese (its terms: see index.ts).
 */
import type { format as english } from '../en/format.js';

export const format: typeof english = {
  dateFormat: '{date_short_pretty} {time}',
  listSeparator: '、',
  sentenceSeparator: '',
  duration: (minutes: number) => (minutes % 60 === 0 ? `${minutes / 60} 小时` : `${minutes} 分钟`),
};
