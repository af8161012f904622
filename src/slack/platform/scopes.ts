/**
 * The bot scopes each Web API method the app calls needs (none for some). manifest.yml asks for
 * exactly their union (a test checks it against the Web API calls in src/slack), and
 * `npm run doctor` checks the token holds every one.
 */
export const SCOPES_OF_METHOD: Readonly<Record<string, readonly string[]>> = {
  'auth.test': [],
  'bots.info': ['users:read'],
  // Public channels, and private ones the bot is in.
  'conversations.info': ['channels:read', 'groups:read'],
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'conversations.open': ['im:write'],
  'usergroups.users.list': ['usergroups:read'],
  'users.info': ['users:read'],
  'views.open': [],
  'views.publish': [],
  'views.update': [],
};

/** Every bot scope the app needs, sorted: the methods' scopes, and `commands` for /sip-reset and the shortcut. */
export const BOT_SCOPES: readonly string[] = [
  ...new Set([...Object.values(SCOPES_OF_METHOD).flat(), 'commands']),
].sort();
