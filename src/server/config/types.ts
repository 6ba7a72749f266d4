/** The gateway's configuration as users write it (defineConfig). Every name here is public API. */
import type { LevelWithSilent, Logger } from "pino";
import type { FileDeclaration, RouteChecksumAlgorithm, UploadRecord } from "../../core/protocol.js";
import type { Principal } from "../auth/principal.js";
import type { Ledger } from "../ledger/types.js";
import type { StorageConfig } from "../storage/types.js";

export type {
  CredentialProvider,
  CredentialsSetting,
  StorageCredentials,
} from "../storage/credentials/types.js";
export type { StorageConfig };

/** A size in bytes, or a string such as "10MB" (1024-based). */
export type Size = number | string;
/** A number of seconds, or a string such as "30s", "5m", "1h", "7d". */
export type Duration = number | string;

/** What a custom authenticator may return: a user id, a principal, or null for "no credentials". */
export type AuthResult = string | { userId: string; claims?: Record<string, unknown> } | null | undefined;
export type AuthFunction = (request: Request) => AuthResult | Promise<AuthResult>;

export type JwtAlgorithm =
  | "RS256"
  | "RS384"
  | "RS512"
  | "PS256"
  | "PS384"
  | "PS512"
  | "ES256"
  | "ES384"
  | "ES512"
  | "EdDSA";

interface JwtChecks {
  /** Required `iss` value(s). */
  issuer?: string | string[];
  /** Required `aud` value(s). */
  audience?: string | string[];
  /** Allowed clock skew for exp/nbf. Default 5 s. */
  clockTolerance?: Duration;
  /**
   * The longest a token may live. Default "24h". Refused: tokens issued (iat) longer ago, tokens
   * whose exp is further than this from their iat, and tokens without iat whose exp is further
   * than this from now.
   */
  maxAge?: Duration;
}

/** HS256 with a shared secret (at least 32 characters). */
export interface JwtSecretConfig extends JwtChecks {
  secret: string;
}

/** Asymmetric keys from a JWKS URL; algorithms default to RS256 and ES256. */
export interface JwtJwksConfig extends JwtChecks {
  jwksUrl: string;
  algorithms?: JwtAlgorithm[];
}

export type JwtConfig = JwtSecretConfig | JwtJwksConfig;

/** API key -> the user id it acts for. */
export type ApiKeysConfig = Record<string, string | { userId: string }>;

/**
 * Dev sign-in (only with `mode: "dev"`): POST /v1/dev/session {user} issues an HS256 token for any
 * user name, and the gateway accepts it. A gateway not in dev mode refuses such tokens.
 */
export interface DevAuthConfig {
  /** At least 32 characters. */
  secret: string;
  /** Token lifetime. Default "12h". */
  expiresIn?: Duration;
}

export type AuthConfig = AuthFunction | { jwt?: JwtConfig; apiKeys?: ApiKeysConfig; dev?: DevAuthConfig };

export interface QuotaConfig {
  bytes?: Size;
  files?: number;
  /** Rolling window ("hour", "day", or any duration), or "total" (the default): every upload still held. */
  period?: "total" | Duration;
}

export interface RateLimitConfig {
  /** Create requests per minute per user or anonymous address (bursts up to the same number). */
  perMinute: number;
}

export interface FileContext {
  principal: Principal;
  /** The route's name. */
  route: string;
  file: FileDeclaration;
  /** The file's position in the request. */
  index: number;
  request: Request;
}

export interface KeyContext extends FileContext {
  /** The gateway's id for this upload. */
  uploadId: string;
  /** ".png" or "", from the declared type. */
  ext: string;
  /** 128 random bits, base32: use it, so keys cannot be guessed. */
  random: string;
}

interface UploadCompleteBase {
  route: string;
  upload: UploadRecord;
  /** The object's x-amz-meta-* values (client and route metadata). */
  metadata: Record<string, string>;
}

/**
 * What onUploadComplete receives. `completedBy: "client"`: the uploader's complete request verified
 * the upload. `completedBy: "sweeper"`: the uploader never completed (a closed tab, a lost answer)
 * and the sweeper found the object and verified it; there is no request, and the principal is the
 * uploader as the ledger recorded it (`via: "ledger"`, or "anonymous"; no claims).
 */
export type UploadCompleteContext =
  | (UploadCompleteBase & { completedBy: "client"; principal: Principal; request: Request })
  | (UploadCompleteBase & { completedBy: "sweeper"; principal: Principal; request?: undefined });

/** Returns (or resolves to) a string, or throws, to reject the whole request with HOOK_REJECTED; anything else accepts. */
export type BeforeUploadHook = (ctx: FileContext) => unknown;
export type UploadCompleteHook = (ctx: UploadCompleteContext) => unknown;
export type KeyFunction = (ctx: KeyContext) => string | Promise<string>;
export type MetadataFunction = (
  principal: Principal,
  file: FileDeclaration,
) => Record<string, string> | Promise<Record<string, string>>;

export interface RouteConfig {
  /** For people, in messages. Default: the route's name. */
  label?: string;
  /** Allowed MIME types; wildcards like "image/*" and "*\/*" work. */
  types: string[];
  maxSize: Size;
  /** Default 0. */
  minSize?: Size;
  /** Files per create request. Default 10. */
  maxFiles?: number;
  /** Lifetime of the signed URLs. Default "5m". */
  expiresIn?: Duration;
  /**
   * Default "optional", SHA-256. `"required"`: every file must declare its checksum. The object form
   * also picks the algorithm: `{ mode: "required", algorithm: "crc64nvme" }`. "sha256" (default) is a
   * content identity; "crc64nvme" and "crc32c" are cheaper for browsers and let multipart uploads be
   * checked by storage as one FULL_OBJECT checksum, but only detect corruption (docs/security.md).
   */
  checksum?: "required" | "optional" | { mode?: "required" | "optional"; algorithm?: RouteChecksumAlgorithm };
  /** Default "auto": one PUT up to multipartThreshold, multipart above. */
  strategy?: "auto" | "put" | "post" | "multipart";
  /** Default "64MB". */
  multipartThreshold?: Size;
  /** Default "16MB"; at least 5 MB. */
  partSize?: Size;
  /** Check the object's magic bytes against its type. Default true. */
  sniff?: boolean;
  /**
   * Types downloads may render inline (in the browser tab) besides raster images, which always
   * do ("image/svg+xml", "application/pdf", ...). Everything else, above all active content (HTML,
   * SVG, XML, JavaScript), is served as an attachment. Default none.
   */
  inline?: string[];
  /** Accept requests without credentials. Default false. */
  public?: boolean;
  /** A key template (default "{route}/{userId}/{random}{ext}") or a function. Clients never choose keys. */
  key?: string | KeyFunction;
  /** Extra x-amz-meta-* values set on each object (signed). */
  metadata?: MetadataFunction;
  /**
   * Per caller: each user, and each anonymous address (X-Forwarded-For's with trustProxy), has
   * its own quota on the route.
   */
  quota?: QuotaConfig;
  /** A cap over every caller's uploads on the route together, checked with each reservation. */
  routeQuota?: QuotaConfig;
  rateLimit?: RateLimitConfig;
  onBeforeUpload?: BeforeUploadHook;
  onUploadComplete?: UploadCompleteHook;
  /** Verified uploads are POSTed here, signed with HMAC-SHA256 of `secret`. */
  webhook?: { url: string; secret: string };
}

export interface CorsConfig {
  /** Allowed origins ("https://app.example.com"), or "*" (not with credentials). */
  origins: string[] | "*";
  /** Allow cookies and HTTP auth. Default false. */
  credentials?: boolean;
  /** How long browsers may cache a preflight. Default "10m". */
  maxAge?: Duration;
}

export interface UpgateConfig {
  /** "dev" allows auth.dev and serves POST /v1/dev/session. Default "production". */
  mode?: "production" | "dev";
  storage: StorageConfig;
  /** "sqlite:<path>" (default "sqlite:./.upgate/ledger.db"), "postgres://...", or a Ledger. */
  ledger?: string | Ledger;
  /** How callers authenticate. Optional only when every route is public. */
  auth?: AuthConfig;
  routes: Record<string, RouteConfig>;
  /** CORS for the gateway's own API. Off unless set. */
  cors?: CorsConfig;
  /** Prefix before /v1/... (e.g. "/api"). Default "". */
  basePath?: string;
  /** Read the client IP from X-Forwarded-For. Only behind a proxy that sets it. Default false. */
  trustProxy?: boolean;
  /** Move rejected objects under this prefix instead of deleting them. */
  quarantinePrefix?: string;
  /**
   * The sweeper: `grace` (default "10m") is how long past its URL expiry an upload with nothing
   * stored, and how old an unowned object, must be before it is removed; `interval` is how often
   * `gateway.startSweeping()` (which `upgate serve` and `upgate dev` call) runs it (default "5m",
   * "30s" in dev mode; false: never). `sweep: false` is `{ interval: false }`.
   */
  sweep?: false | { grace?: Duration; interval?: Duration | false };
  /** A pino logger, or the level of the one the gateway creates (default "info"). */
  logger?: Logger | { level?: LevelWithSilent };
  limits?: { maxBodyBytes?: Size };
}
