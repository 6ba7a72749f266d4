/** Credentials that sign storage requests and URLs. */
export interface StorageCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Temporary credentials (roles, STS): sent with every request as x-amz-security-token. */
  sessionToken?: string;
  /** When temporary credentials stop working. Absent for long-term keys. */
  expiration?: Date;
}

/**
 * Returns current credentials, and is called again before they expire. The shape of the providers of
 * @aws-sdk/credential-providers (fromNodeProviderChain(), fromTemporaryCredentials(), fromIni(), ...),
 * without depending on them. The gateway calls it with `{ forceRefresh: true }`, so that a provider
 * with its own cache fetches anew.
 */
export type CredentialProvider = (options?: { forceRefresh?: boolean }) => Promise<StorageCredentials>;

/**
 * storage.credentials: long-term keys (objects with more fields, as the AWS SDK's, are accepted:
 * the extra fields are ignored), a provider of temporary credentials, or "aws" for the AWS SDK's
 * default chain (env, web identity, ECS, EC2 instance metadata, SSO, shared config files).
 */
export type CredentialsSetting = StorageCredentials | CredentialProvider | "aws";

/** Credentials as the gateway holds them: `generation` counts the fetches, so a refresh happens once per set. */
export interface CurrentCredentials extends StorageCredentials {
  readonly generation: number;
}

/** What `upgate doctor` and the logs say about the credentials (never a secret). */
export interface CredentialStatus {
  /** "static" keys, a "provider" function, or "aws" (the AWS SDK's default chain). */
  kind: "static" | "provider" | "aws";
  /** Where they came from, for people: "keys in the config", "AWS default chain: ECS container credentials", ... */
  source: string;
  accessKeyId?: string;
  expiration?: Date;
  /** When the credentials were last fetched (providers only). */
  fetchedAt?: Date;
  /** The last refresh's failure, when the credentials in use are older than it. */
  lastError?: string;
}

/** One fetch from a provider, for logs and metrics. */
export interface RefreshEvent {
  outcome: "ok" | "failed";
  /** first: none held yet; expiring: within the refresh margin; refused: storage refused the ones held. */
  reason: "first" | "expiring" | "refused";
  expiration?: Date;
  error?: unknown;
  /** A failure while the credentials held still work: they are kept. */
  kept?: boolean;
}

/** Where a storage client gets its credentials: fixed keys, or a provider behind a refreshing cache. */
export interface CredentialSource {
  readonly kind: CredentialStatus["kind"];
  /** Whether fetching again can give other credentials (providers and "aws"). */
  readonly refreshable: boolean;
  /** The credentials to sign with now; refreshed first when they are within the margin of their expiry. */
  get(): Promise<CurrentCredentials>;
  /**
   * After storage refused `used` (ExpiredToken, InvalidToken, InvalidAccessKeyId): credentials
   * fetched anew, once however many requests were refused with the same set.
   */
  renew(used: CurrentCredentials): Promise<CurrentCredentials>;
  status(): CredentialStatus;
  /** The secret values held now and lately, so that logs can be scrubbed of them. */
  secrets(): readonly string[];
}
