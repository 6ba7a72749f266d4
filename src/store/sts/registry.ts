import { randomBytes } from "node:crypto";
import type { SecretRecord } from "../../core/sigv4/verify.js";

/** Credentials the store issued: a key, its secret, the session token requests must carry, and the expiry. */
export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/** Who may sign requests: the long-term keys, and the temporary ones issued since start. */
export interface CredentialRegistry {
  lookup(accessKeyId: string): SecretRecord | undefined;
  /** New temporary credentials, valid for `seconds` from now. */
  issue(seconds: number): TemporaryCredentials;
  /** Temporary credentials issued so far (expired ones included). */
  readonly issued: number;
}

/**
 * Expired credentials are still known for this long, so requests signed with them get ExpiredToken
 * (as on S3) rather than InvalidAccessKeyId; after it they are forgotten.
 */
const REMEMBER_EXPIRED_MS = 60 * 60_000;
const KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** "ASIA" and 16 upper-case letters and digits, as AWS's temporary access key ids. */
function temporaryKeyId(): string {
  let id = "ASIA";
  for (const byte of randomBytes(16)) id += KEY_ALPHABET[byte % 32];
  return id;
}

export function createCredentialRegistry(
  longTerm: ReadonlyArray<SecretRecord & { accessKeyId: string }>,
  now: () => Date,
): CredentialRegistry {
  const keys = new Map<string, SecretRecord>(
    longTerm.map(({ accessKeyId, ...secret }) => [accessKeyId, secret]),
  );
  const temporary = new Map<string, TemporaryCredentials>();
  let issued = 0;

  function forgetExpired(at: number): void {
    for (const [id, creds] of temporary) {
      if (creds.expiration.getTime() + REMEMBER_EXPIRED_MS < at) temporary.delete(id);
    }
  }

  return {
    lookup(accessKeyId) {
      const creds = temporary.get(accessKeyId);
      if (creds) {
        const { sessionToken, secretAccessKey, expiration } = creds;
        return { secretAccessKey, sessionToken, expiration };
      }
      return keys.get(accessKeyId);
    },
    issue(seconds) {
      const at = now().getTime();
      forgetExpired(at);
      const creds: TemporaryCredentials = {
        accessKeyId: temporaryKeyId(),
        secretAccessKey: randomBytes(30).toString("base64"),
        sessionToken: randomBytes(96).toString("base64"),
        // Whole seconds, as STS gives them (its Expiration has no fraction).
        expiration: new Date(Math.floor(at / 1000) * 1000 + seconds * 1000),
      };
      temporary.set(creds.accessKeyId, creds);
      issued += 1;
      return creds;
    },
    get issued() {
      return issued;
    },
  };
}
