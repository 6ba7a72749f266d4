/**
 * Secrets come from the environment only. A config file may still read them from process.env (a
 * .ts or .js config), so a secret in the loaded config is accepted when it is the value of some
 * environment variable, and refused as a literal otherwise.
 */

import { passwordOf } from "../../server/config/url-password.js";

type Env = NodeJS.ProcessEnv;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Every secret the config holds, with the path to name it by (never its value). */
function secretsIn(raw: Record<string, unknown>): Array<{ path: string; value: string }> {
  const found: Array<{ path: string; value: string }> = [];
  const add = (path: string, value: unknown) => {
    if (typeof value === "string" && value !== "") found.push({ path, value });
  };
  const storage = isRecord(raw.storage) ? raw.storage : {};
  const credentials = isRecord(storage.credentials) ? storage.credentials : {};
  add("storage.credentials.secretAccessKey", credentials.secretAccessKey);
  add("storage.credentials.sessionToken", credentials.sessionToken);
  const auth = isRecord(raw.auth) ? raw.auth : {};
  if (isRecord(auth.jwt)) add("auth.jwt.secret", auth.jwt.secret);
  if (isRecord(auth.apiKeys)) {
    Object.keys(auth.apiKeys).forEach((key, i) => {
      add(`auth.apiKeys (key #${i + 1})`, key);
    });
  }
  if (isRecord(raw.routes)) {
    for (const [name, route] of Object.entries(raw.routes)) {
      if (isRecord(route) && isRecord(route.webhook))
        add(`routes.${name}.webhook.secret`, route.webhook.secret);
    }
  }
  if (typeof raw.ledger === "string" && /^postgres(ql)?:/.test(raw.ledger)) {
    // Judged as a whole: a URL read from the environment carries its password from there too.
    if (passwordOf(raw.ledger) !== undefined) add("ledger (a Postgres URL with a password)", raw.ledger);
  }
  return found;
}

/** Paths of the secrets written into the config as literals (not read from the environment). */
export function literalSecrets(raw: Record<string, unknown>, env: Env = process.env): string[] {
  const fromEnv = new Set(Object.values(env).filter((v): v is string => typeof v === "string" && v !== ""));
  return secretsIn(raw)
    .filter(({ value }) => !fromEnv.has(value))
    .map(({ path }) => path);
}
