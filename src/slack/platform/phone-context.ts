import { phoneKey, type Phone, type PhoneDirectory } from '../../domain/directory.js';
import type { Logger } from '../../domain/logger.js';
import { errorMessage } from '../../domain/errors.js';

/** What a builder asks: the phone of a request's account in its application, if the directory lists it. */
export type PhoneOf = (request: { appId: string; account: string }) => Phone | undefined;

export const NO_PHONES: PhoneOf = () => undefined;

/**
 * The directory's phones of these requests' accounts (one read per application), whatever the
 * directory's age: the names and groups shown beside the accounts. Without a directory, or when it
 * cannot be read, none (logged): the accounts are shown alone, as before.
 */
export async function phonesOf(
  directory: PhoneDirectory | undefined,
  requests: ReadonlyArray<{ appId: string; account: string }>,
  logger: Logger,
): Promise<PhoneOf> {
  if (!directory || requests.length === 0) return NO_PHONES;
  try {
    const found = await directory.findPhones(requests);
    return (request) => found.get(phoneKey(request.appId, request.account));
  } catch (error) {
    logger.warn('could not read the phone directory: accounts are shown without their phones', {
      error: errorMessage(error),
    });
    return NO_PHONES;
  }
}
