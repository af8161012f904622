/**
 * How texts are put together: the date format, the separators between names and sentences, a
 * duration.
 */

export const format = {
  /** Slack's date token format: https://api.slack.com/reference/surfaces/formatting#date-formatting */
  dateFormat: '{date_short_pretty} at {time}',
  /** Between the names of a list, and between sentences built from several texts. */
  listSeparator: ', ',
  sentenceSeparator: ' ',
  /** A length of time given in minutes, as the approval message says how long a button lasts. */
  duration: (minutes: number) =>
    minutes % 60 === 0
      ? `${minutes / 60} hour${minutes === 60 ? '' : 's'}`
      : `${minutes} minute${minutes === 1 ? '' : 's'}`,
};
