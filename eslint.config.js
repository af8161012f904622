// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/** What all of src/slack keeps away from: the offline tools, and the internals of Slack's packages. */
const SLACK_SIDE = [
  {
    group: ['**/cli/**'],
    message: 'src/slack imports nothing from src/cli (see DESIGN.md).',
  },
  {
    group: ['@slack/*/dist/**'],
    message: "Bolt's and the SDK's public API only: their index, not their internals (see DESIGN.md).",
  },
];

/** The Slack side's wings, from the bottom up. */
const SLACK_WINGS = ['platform', 'blocks', 'outbound', 'flows', 'listeners'];

/** What the wing at this index may not import: the wings above it, and services.ts above outbound. */
const above = (/** @type {number} */ i) => [
  ...SLACK_WINGS.slice(i + 1).map((higher) => `**/${higher}/**`),
  // What the listeners are given (services.ts) sits between the flows and outbound.
  ...(i < SLACK_WINGS.indexOf('flows') ? ['**/services', '**/services.js'] : []),
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/'] },
  eslint.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    // The domain owns its model and its ports; adapters depend on it, never the other way.
    files: ['src/domain/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/slack/**',
                '**/store/**',
                '**/itnio/**',
                '**/config',
                '**/config.js',
                '**/config/**',
              ],
              message: 'src/domain imports nothing from the adapters or the configuration (see DESIGN.md).',
            },
            {
              group: ['@slack/*', 'kysely', 'pg', 'better-sqlite3', 'node-fetch'],
              message: 'The domain knows no Slack, SQL or HTTP.',
            },
          ],
        },
      ],
      // Nor does it name what only Slack has, even as a plain field: where a request's messages are
      // (a channel, a message's ts) and the Slack side's own types are src/slack's to keep.
      'no-restricted-syntax': [
        'error',
        ...[
          'Identifier[name=/channel/i]',
          'Identifier[name=/^ts$|_ts$|[a-z0-9]Ts$/]',
          'Identifier[name=/slack/i]',
          ':matches(Property, PropertyDefinition, TSPropertySignature, MethodDefinition) > Literal.key[value=/channel|slack/i]',
          ':matches(Property, PropertyDefinition, TSPropertySignature, MethodDefinition) > Literal.key[value=/^ts$|_ts$|[a-z0-9]Ts$/]',
          'TSImportType Literal[value=/^@slack/]',
          'ImportExpression > Literal.source[value=/^@slack/]',
        ].map((selector) => ({
          selector,
          message:
            "The domain knows no Slack: no channel, no message ts, no Slack type (where a request is shown in Slack is src/slack's: slack-store.ts). Say what the domain means in its own words.",
        })),
      ],
    },
  },
  {
    // The runtime routes are wired by the composition root; they know nothing of Slack's side, of
    // the root itself, or of the offline tools.
    files: ['src/ops/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/slack/**', '**/composition', '**/composition.js', '**/composition/**', '**/cli/**'],
              message:
                'src/ops imports nothing from src/slack, src/cli or the composition root (see DESIGN.md).',
            },
          ],
        },
      ],
    },
  },
  {
    // The offline tools (doctor, audit) stand outside the app, beside main.ts: nothing in it imports
    // them. And Slack's packages are used through their public API, which their upgrades keep.
    files: ['src/slack/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: SLACK_SIDE }] },
  },
  // The Slack side's wings read top-down: a wing imports only the wings below it (DESIGN.md).
  ...SLACK_WINGS.map((wing, i) => ({
    files: [`src/slack/${wing}/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...SLACK_SIDE,
            ...(above(i).length > 0
              ? [
                  {
                    group: above(i),
                    message: `src/slack/${wing} imports nothing from a wing above it: listeners → flows → outbound → blocks → platform (see DESIGN.md).`,
                  },
                ]
              : []),
            {
              // The Bolt app, src/slack/app.ts, above every wing (a regex: a glob matches without case,
              // and would name Bolt's own App.js too).
              regex: '^(\\.\\.?/)+app(\\.js)?$',
              message: `src/slack/${wing} imports nothing from the Bolt app, src/slack/app.ts (see DESIGN.md).`,
            },
          ],
        },
      ],
    },
  })),
  {
    // What the listeners are given is built from outbound's and platform's services, below the flows.
    files: ['src/slack/services.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...SLACK_SIDE,
            {
              // But the lock-out's launcher: an interface the flows implement, given to the listeners.
              group: ['**/flows/**', '!**/flows/lockout-launcher.js', '**/listeners/**', './app', './app.js'],
              message:
                'src/slack/services.ts imports nothing from the flows (but the lock-out launcher, an interface), the listeners or the app (see DESIGN.md).',
            },
          ],
        },
      ],
    },
  },
  {
    // Plain Node scripts, run before the build exists.
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['sandbox/demo.ts', 'bench/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // The playground's page runs in a browser.
    files: ['sandbox/playground/page/**/*.js'],
    languageOptions: {
      globals: {
        document: 'readonly',
        window: 'readonly',
        location: 'readonly',
        history: 'readonly',
        fetch: 'readonly',
        EventSource: 'readonly',
        URLSearchParams: 'readonly',
        Option: 'readonly',
        Intl: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
  },
  {
    // The bare Bolt app is plain JavaScript run by node, as the product's build is.
    files: ['bench/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly' } },
  },
);
