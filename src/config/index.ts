/**
 * The configuration's one public entry: the rest of the app, the tools, the sandbox and the tests
 * import from here, never from the modules behind it.
 */
export { ConfigError } from './config-error.js';
export { lockoutLeaseMs, longestDeliveryMs, longestResetMs, secretsOf, userGroupsOf } from './derived.js';
export { CONFIG_VARIABLES, databaseUrlFrom } from './env-schema.js';
export { loadConfig } from './load.js';
export { dotenvFileText, PLACEHOLDERS } from './mistakes.js';
export { readOwnersFile } from './owners-file.js';
export type { Config, VoiceApp } from './settings.js';
