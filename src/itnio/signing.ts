import { createHash } from 'node:crypto';

/** The vendor's request signature: md5(apiKey + apiSecret + timestamp), lowercase hex. */
export function signRequest(apiKey: string, apiSecret: string, timestamp: string): string {
  return createHash('md5').update(`${apiKey}${apiSecret}${timestamp}`, 'utf8').digest('hex');
}
