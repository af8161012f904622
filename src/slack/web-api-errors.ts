/** The Web API's error code (`channel_not_found`…), or the error's message: for logs. */
export function slackError(error: unknown): string {
  const data = (error as { data?: { error?: string } }).data;
  return data?.error ?? (error as Error).message;
}

/**
 * Why a call got no answer at all: what fetch's own error says under the Web API client's request
 * error (`ECONNREFUSED`, `ENOTFOUND`, `bad port`…); else what slackError says.
 */
export function unansweredCause(error: unknown): string {
  const cause = (error as { original?: { cause?: { code?: unknown; message?: unknown } } }).original?.cause;
  const why = cause?.code ?? cause?.message;
  return typeof why === 'string' ? why : slackError(error);
}
