/**
 * Secrets known by their shape rather than their value: Slack's tokens, and its response and
 * webhook URLs however a log line escapes or encodes them. The Redactor hides them whether or not
 * they were configured.
 */

/** Slack tokens (bot, app-level, a workflow step's `xwfp-`): secret by their shape wherever they appear, configured or not. */
const TOKEN_SHAPES = [/\bxox[a-z]-[A-Za-z0-9-]+/, /\bxapp-[A-Za-z0-9-]+/, /\bxwfp-[A-Za-z0-9-]+/];

/**
 * A workflow step's `user_context` input carries a `secret` beside the user's ID, and the Socket Mode
 * client logs each envelope whole at debug, as text: its value, JSON written plainly or escaped
 * (any depth), is hidden from the key on.
 */
const USER_CONTEXT_SECRET = /\bsecret\\*"\s*:\s*\\*"[^"\\]+/;

/** Slack's hooks hosts, commercial and GovSlack: a response URL's host whatever SLACK_API_URL says. */
const SLACK_HOOKS_HOSTS = ['hooks.slack.com', 'hooks.slack-gov.com'];

/**
 * The first path segment of Slack's response URLs (`/commands/…` from a slash command, `/actions/…`
 * from a click, `/app/…` from a shortcut or a modal) and of its other URLs that let their holder
 * post (`/services/…` incoming webhooks, `/triggers/…` and `/workflows/…` of Workflow Builder).
 */
const HOOK_PATHS = ['commands', 'actions', 'app', 'services', 'triggers', 'workflows'];

/** A pattern matching the text in either case (Node 20 has no inline `(?i:…)`). */
function caseless(text: string): string {
  return [...text]
    .map((c) =>
      /[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&'),
    )
    .join('');
}

/** `/` as a URL is written in a log line: plain, JSON-escaped (any depth), `\u002f`, percent-encoded once or twice. */
const SLASH = String.raw`(?:\\*/|\\+u002[fF]|(?:%5[cC])*%2[fF]|(?:%255[cC])*%252[fF])`;
const COLON = String.raw`(?::|%3[aA]|%253[aA])`;

/**
 * A response URL (or webhook) on one of these hosts, as it appears in a log line: in either case,
 * with or without a port, its slashes and colons escaped or encoded as a JSON body, a form or a
 * query string writes them; up to the end of its path.
 */
function hookUrlShape(hosts: readonly string[]): RegExp {
  const host = [...new Set(hosts.map((h) => h.toLowerCase()))].map(caseless).join('|');
  const path = HOOK_PATHS.map(caseless).join('|');
  return new RegExp(
    `${caseless('http')}[sS]?${COLON}${SLASH}${SLASH}(?:${host})(?:${COLON}\\d{1,5})?` +
      `${SLASH}(?:${path})${SLASH}(?:${SLASH}|[A-Za-z0-9_.~-])+`,
  );
}

/** The hooks host of a Web API URL: `https://slack.com/api/` gives `hooks.slack.com`. */
function hooksHostOf(slackApiUrl: string): string {
  return `hooks.${new URL(slackApiUrl).hostname}`;
}

/**
 * Secret by their shape wherever they appear, in one pattern, first at a position winning: Slack
 * tokens, a workflow step's user_context secret, and Slack's response and webhook URLs (each lets its holder post as the app for a while)
 * on Slack's hooks hosts and on the configured Web API's.
 */
export function secretShapes(slackApiUrl: string | undefined): RegExp {
  const hosts = [...SLACK_HOOKS_HOSTS, ...(slackApiUrl ? [hooksHostOf(slackApiUrl)] : [])];
  return new RegExp(
    [...TOKEN_SHAPES, USER_CONTEXT_SECRET, hookUrlShape(hosts)].map((shape) => shape.source).join('|'),
    'g',
  );
}
