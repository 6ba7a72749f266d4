/** The UPGATE_* environment variables and how they override a config file. */

type Env = NodeJS.ProcessEnv;

export const ENVIRONMENT: ReadonlyArray<{ name: string; sets: string }> = [
  { name: "UPGATE_PORT", sets: "the port `upgate serve` listens on (default 8080)" },
  { name: "UPGATE_HOST", sets: "the address `upgate serve` binds (default 127.0.0.1)" },
  { name: "UPGATE_STORAGE_ENDPOINT", sets: "storage.endpoint" },
  { name: "UPGATE_STORAGE_BUCKET", sets: "storage.bucket" },
  { name: "UPGATE_STORAGE_REGION", sets: "storage.region (default us-east-1 when the config has none)" },
  { name: "UPGATE_STORAGE_PATH_STYLE", sets: "storage.forcePathStyle (true or false)" },
  {
    name: "UPGATE_STORAGE_ACCESS_KEY",
    sets: 'storage.credentials.accessKeyId (with no keys anywhere: "aws", the AWS default chain)',
  },
  { name: "UPGATE_STORAGE_SECRET_KEY", sets: "storage.credentials.secretAccessKey (secret)" },
  { name: "UPGATE_STORAGE_SESSION_TOKEN", sets: "storage.credentials.sessionToken (secret)" },
  { name: "UPGATE_LEDGER", sets: 'ledger ("sqlite:<path>" or "postgres://...")' },
  { name: "UPGATE_JWT_SECRET", sets: "auth.jwt.secret (secret)" },
];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function flag(name: string, value: string): boolean {
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  throw new Error(`${name} must be true or false, got ${JSON.stringify(value)}`);
}

/** A copy of the config with every UPGATE_* variable that is set written over it. */
export function applyEnvironment(
  raw: Record<string, unknown>,
  env: Env = process.env,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw };
  const storage: Record<string, unknown> = isRecord(raw.storage) ? { ...raw.storage } : {};
  const credentials: Record<string, unknown> = isRecord(storage.credentials)
    ? { ...storage.credentials }
    : {};
  const set = (target: Record<string, unknown>, field: string, name: string) => {
    const value = env[name];
    if (value !== undefined && value !== "") target[field] = value;
  };
  set(storage, "endpoint", "UPGATE_STORAGE_ENDPOINT");
  set(storage, "bucket", "UPGATE_STORAGE_BUCKET");
  set(storage, "region", "UPGATE_STORAGE_REGION");
  storage.region ??= "us-east-1";
  if (env.UPGATE_STORAGE_PATH_STYLE)
    storage.forcePathStyle = flag("UPGATE_STORAGE_PATH_STYLE", env.UPGATE_STORAGE_PATH_STYLE);
  set(credentials, "accessKeyId", "UPGATE_STORAGE_ACCESS_KEY");
  set(credentials, "secretAccessKey", "UPGATE_STORAGE_SECRET_KEY");
  set(credentials, "sessionToken", "UPGATE_STORAGE_SESSION_TOKEN");
  if (Object.keys(credentials).length > 0) storage.credentials = credentials;
  // No keys in the config or the environment: the AWS SDK's default chain (roles on ECS, EKS, EC2, Lambda).
  else storage.credentials ??= "aws";
  out.storage = storage;
  set(out, "ledger", "UPGATE_LEDGER");
  const jwtSecret = env.UPGATE_JWT_SECRET;
  if (jwtSecret && typeof raw.auth !== "function") {
    const auth = isRecord(raw.auth) ? raw.auth : {};
    const jwt = isRecord(auth.jwt) ? auth.jwt : {};
    out.auth = { ...auth, jwt: { ...jwt, secret: jwtSecret } };
  }
  return out;
}
