/** The Web API's error code (`channel_not_found`…), or the error's message: for logs. */
export function slackError(error: unknown): string {
  const data = (error as { data?: { error?: string } }).data;
  return data?.error ?? (error as Error).message;
}
