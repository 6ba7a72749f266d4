/** The configuration after resolveConfig: validated, defaults applied, sizes in bytes, durations in ms. */
import type { Logger } from "pino";
import type { RoutePolicy } from "../../core/policy/route.js";
import type { LedgerSource } from "../ledger/open.js";
import type { QuotaLimit } from "../ledger/types.js";
import type { StorageConfig } from "../s3/types.js";
import type {
  AuthFunction,
  BeforeUploadHook,
  JwtAlgorithm,
  KeyFunction,
  MetadataFunction,
  UploadCompleteHook,
} from "./types.js";

export type { LedgerSource };

interface ResolvedJwtChecks {
  issuer?: string | string[];
  audience?: string | string[];
  clockToleranceSeconds: number;
  /** The longest a token may live (auth.jwt.maxAge, default 24 h). */
  maxAgeSeconds: number;
}

export type ResolvedJwt =
  | (ResolvedJwtChecks & { kind: "secret"; secret: string })
  | (ResolvedJwtChecks & { kind: "jwks"; url: URL; algorithms: JwtAlgorithm[] });

/** Dev sign-in; present only in dev mode. */
export interface ResolvedDevAuth {
  secret: string;
  expiresInSeconds: number;
}

export interface ResolvedAuth {
  jwt?: ResolvedJwt;
  dev?: ResolvedDevAuth;
  apiKeys?: ReadonlyArray<{ key: string; userId: string }>;
  custom?: AuthFunction;
}

export interface ResolvedRoute {
  policy: RoutePolicy;
  /** Per quota subject (a user, or an anonymous address). */
  quota?: QuotaLimit;
  /** Over every subject's uploads on the route together. */
  routeQuota?: QuotaLimit;
  rateLimit?: { perMinute: number };
  key: { template: string } | { fn: KeyFunction };
  /** Type patterns downloads may render inline besides the inline-safe raster images. */
  inline?: string[];
  metadata?: MetadataFunction;
  onBeforeUpload?: BeforeUploadHook;
  onUploadComplete?: UploadCompleteHook;
  webhook?: { url: string; secret: string };
}

export interface ResolvedCors {
  origins: "*" | ReadonlySet<string>;
  credentials: boolean;
  maxAgeSeconds: number;
}

export interface ResolvedConfig {
  mode: "production" | "dev";
  storage: StorageConfig & { forcePathStyle: boolean; supportsPost: boolean };
  ledger: LedgerSource;
  auth: ResolvedAuth;
  routes: ReadonlyMap<string, ResolvedRoute>;
  cors?: ResolvedCors;
  /** "" or "/api" (leading slash, no trailing one). */
  basePath: string;
  trustProxy: boolean;
  /** "quarantine/" (no leading slash, one trailing slash). */
  quarantinePrefix?: string;
  /** `intervalMs`: how often startSweeping() runs the sweeper; undefined when it never does. */
  sweep: { graceMs: number; intervalMs: number | undefined };
  logger: Logger;
  limits: { maxBodyBytes: number };
  /** Every configured secret value, so that logs and error bodies can be scrubbed of them. */
  secrets: readonly string[];
}
