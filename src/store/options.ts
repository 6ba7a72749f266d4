import type { CorsRule, Durability, StorageBackend } from "./backend/types.js";
import type { MinBodyRate } from "./slow-body.js";

export interface StoreCredential {
  accessKeyId: string;
  secretAccessKey: string;
  /** Temporary credentials: every request must carry this token (x-amz-security-token). */
  sessionToken?: string;
  /** Temporary credentials: requests signed after this get 400 ExpiredToken. */
  expiration?: Date;
}

/** The STS endpoint (POST / with a form body, as AWS STS and Ceph RGW): AssumeRole and AssumeRoleWithWebIdentity. */
export interface StoreStsOptions {
  /**
   * Every credential issued lives this many seconds, whatever DurationSeconds asks (STS's own range is
   * 900 to 43200, default 3600): a few seconds makes tests and soaks rotate credentials quickly.
   */
  lifetimeSeconds?: number;
  /**
   * The web identity tokens AssumeRoleWithWebIdentity accepts (the text of the token file a client
   * reads, AWS_WEB_IDENTITY_TOKEN_FILE). None by default: every such call is refused.
   */
  webIdentityTokens?: readonly string[];
}

export interface ObjectStoreOptions {
  /** Where the filesystem backend keeps data (default backend). */
  dataDir?: string;
  /** Any backend instead of the filesystem one, e.g. createMemoryBackend() for tests. */
  backend?: StorageBackend;
  /** "fsync" (default) survives power loss; "none" is for throwaway dev data. */
  durability?: Durability;
  /** Who may sign requests. Without any, built-in dev credentials are used, and only on loopback. */
  credentials?: StoreCredential[];
  /** The STS endpoint's settings; it always answers, issuing credentials only to known keys or listed tokens. */
  sts?: StoreStsOptions;
  region?: string;
  /** Buckets created at start if missing. */
  buckets?: string[];
  /** CORS rules given to the start-up buckets that have none yet. */
  cors?: CorsRule[];
  /** Base domain for virtual-host addressing: <bucket>.<domain>. */
  domain?: string;
  /** Allowed clock skew for signatures (S3: 15 minutes). */
  maxSkewMs?: number;
  /** Largest single PUT (S3: 5 GiB). */
  maxObjectSize?: number;
  /** Idle socket timeout: a client silent this long gets 400 RequestTimeout and is disconnected (default 60 s). */
  idleTimeoutMs?: number;
  /** Time allowed for a request's whole header section (default 30 s): slowloris gets 400 RequestTimeout. */
  headersTimeoutMs?: number;
  /**
   * Slowest accepted request body, on average, after a grace period (default 1 KiB/s after 20 s):
   * a body trickled in slower gets 400 RequestTimeout and the connection is closed.
   */
  minBodyRate?: MinBodyRate;
  /** The clock, for tests. */
  now?: () => Date;
  /** One line per request and per unexpected error; never includes secrets or signatures. */
  log?: (entry: Record<string, unknown>) => void;
}

export const DEV_CREDENTIALS: StoreCredential = {
  accessKeyId: "upgatedev",
  secretAccessKey: "upgatedev-secret-not-for-production",
};

export const DEFAULT_REGION = "us-east-1";
export const MAX_SINGLE_PUT = 5 * 1024 ** 3;

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
