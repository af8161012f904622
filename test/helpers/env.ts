/** The least environment that loadConfig accepts. */
export const VALID_ENV = {
  SLACK_BOT_TOKEN: 'xoxb-test-token-value',
  SLACK_SIGNING_SECRET: 'signing-secret-value',
  ITNIO_API_KEY: 'itnio-key-value',
  ITNIO_API_SECRET: 'itnio-secret-value',
  ITNIO_APP_IDS: 'Office=4luaKsL2,Warehouse=Xy12',
};
