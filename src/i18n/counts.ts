/**
 * Counts as the catalogues write them, digits grouped as each language groups them (1,240), and
 * English's plurals: helpers of the catalogues' texts, not texts themselves.
 */
const numberIn = (locale: string) => {
  const format = new Intl.NumberFormat(locale);
  return (n: number) => format.format(n);
};

export const zhNumber = numberIn('zh-CN');

export const enNumber = numberIn('en');

/** One phone, 0 or 2 phones. */
export const enPhones = (n: number) => `${enNumber(n)} phone${n === 1 ? '' : 's'}`;

/** "1 phone has", "2 phones have". */
export const enPhonesHave = (n: number) => `${enPhones(n)} ${n === 1 ? 'has' : 'have'}`;
