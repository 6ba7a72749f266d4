import { resolveConfig } from "../../server/config/resolve.js";
import type { LedgerSource, ResolvedRoute } from "../../server/config/resolved.js";
import type { UpgateConfig } from "../../server/config/types.js";
import type { StorageCredentials } from "../../server/s3/credentials/types.js";
import type { StorageConfig } from "../../server/s3/types.js";
import { CliError } from "../cli-error.js";
import { loadConfig, withConfigErrors } from "./gateway-config.js";

type Env = NodeJS.ProcessEnv;

/** What `cors` and `doctor` work from: a config file, or storage given by flags and environment. */
export interface Setup {
  file: string | undefined;
  storage: StorageConfig & { forcePathStyle: boolean; supportsPost: boolean };
  /** Empty without a config file. */
  routes: ReadonlyMap<string, ResolvedRoute>;
  /** --origin, else the config's cors.origins; undefined when neither names any. */
  origins: string[] | "*" | undefined;
  /** undefined without a config file, --ledger or UPGATE_LEDGER. */
  ledger: LedgerSource | undefined;
  maxAgeSeconds: number;
}

/** The flags loadSetup reads, for parseCommandArgs (each command adds its own). */
export const SETUP_OPTIONS = {
  config: { type: "string" },
  endpoint: { type: "string" },
  bucket: { type: "string" },
  region: { type: "string" },
  "path-style": { type: "boolean" },
  origin: { type: "string", multiple: true },
} as const;

export interface SetupFlags {
  config?: string;
  endpoint?: string;
  bucket?: string;
  region?: string;
  "path-style"?: boolean;
  origin?: string[];
  ledger?: string;
}

/** Flags act as the UPGATE_* variables they correspond to, over the real environment. */
export function flagsAsEnv(values: SetupFlags, env: Env): Env {
  const out: Env = { ...env };
  if (values.endpoint !== undefined) out.UPGATE_STORAGE_ENDPOINT = values.endpoint;
  if (values.bucket !== undefined) out.UPGATE_STORAGE_BUCKET = values.bucket;
  if (values.region !== undefined) out.UPGATE_STORAGE_REGION = values.region;
  if (values["path-style"]) out.UPGATE_STORAGE_PATH_STYLE = "true";
  if (values.ledger !== undefined) out.UPGATE_LEDGER = values.ledger;
  return out;
}

export function parseLedger(value: string): LedgerSource {
  if (value.startsWith("sqlite:") && value.length > "sqlite:".length) {
    return { kind: "sqlite", path: value.slice("sqlite:".length) };
  }
  if (/^postgres(ql)?:\/\/./.test(value)) return { kind: "postgres", url: value };
  throw new CliError(
    `the ledger must be "sqlite:<path>" or a "postgres://..." URL, got ${JSON.stringify(value)}`,
    2,
  );
}

function storageFromEnvOnly(command: string, storage: Record<string, unknown>): Setup["storage"] {
  const missing = (what: string, how: string) =>
    new CliError(`upgate ${command}: no ${what}: ${how} (or pass --config)`, 2);
  if (typeof storage.endpoint !== "string")
    throw missing("storage endpoint", "pass --endpoint or set UPGATE_STORAGE_ENDPOINT");
  if (!URL.canParse(storage.endpoint))
    throw new CliError(`upgate ${command}: the endpoint is not a URL: ${storage.endpoint}`, 2);
  if (typeof storage.bucket !== "string")
    throw missing("bucket", "pass --bucket or set UPGATE_STORAGE_BUCKET");
  return {
    endpoint: storage.endpoint.replace(/\/+$/, ""),
    bucket: storage.bucket,
    region: String(storage.region),
    credentials: envCredentials(command, storage.credentials),
    forcePathStyle: storage.forcePathStyle === true,
    supportsPost: storage.supportsPost !== false,
  };
}

/** The keys UPGATE_STORAGE_* gave, or "aws" (the AWS default chain) when they gave none. */
function envCredentials(command: string, value: unknown): StorageConfig["credentials"] {
  if (value === "aws") return "aws";
  const keys = (value ?? {}) as Partial<StorageCredentials>;
  if (!keys.accessKeyId || !keys.secretAccessKey) {
    throw new CliError(
      `upgate ${command}: incomplete storage credentials: set both UPGATE_STORAGE_ACCESS_KEY and UPGATE_STORAGE_SECRET_KEY (or neither, for the AWS default chain)`,
      2,
    );
  }
  return {
    accessKeyId: keys.accessKeyId,
    secretAccessKey: keys.secretAccessKey,
    ...(keys.sessionToken ? { sessionToken: keys.sessionToken } : {}),
  };
}

export async function loadSetup(command: string, values: SetupFlags, env: Env): Promise<Setup> {
  const merged = flagsAsEnv(values, env);
  const { file, config } = await loadConfig({
    command,
    file: values.config,
    env: merged,
    required: false,
    serving: false,
  });
  const origins = values.origin?.length ? (values.origin.includes("*") ? "*" : values.origin) : undefined;
  if (file === undefined) {
    return {
      file,
      storage: storageFromEnvOnly(command, config.storage as Record<string, unknown>),
      routes: new Map(),
      origins,
      ledger: merged.UPGATE_LEDGER ? parseLedger(merged.UPGATE_LEDGER) : undefined,
      maxAgeSeconds: 600,
    };
  }
  const resolved = withConfigErrors(command, file, () => resolveConfig(config as unknown as UpgateConfig));
  const configured = resolved.cors?.origins;
  return {
    file,
    storage: resolved.storage,
    routes: resolved.routes,
    origins: origins ?? (configured === undefined ? undefined : configured === "*" ? "*" : [...configured]),
    ledger: resolved.ledger,
    maxAgeSeconds: resolved.cors?.maxAgeSeconds ?? 600,
  };
}
