/**
 * pino redaction paths for the logger the gateway creates: a second line of defence, since the
 * gateway scrubs what it logs itself (scrub.ts) and a user-supplied logger has its own settings.
 */
export const LOG_REDACT_PATHS = [
  "authorization",
  "cookie",
  "headers.authorization",
  "headers.cookie",
  "headers['x-api-key']",
  "req.headers.authorization",
  "req.headers.cookie",
  "req.headers['x-api-key']",
  "*.authorization",
  "*.cookie",
  "*.secret",
  "*.secretAccessKey",
  "*.sessionToken",
  "*.password",
  "*.token",
];
