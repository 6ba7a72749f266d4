/** What runSoak takes, with the defaults `npm run soak` uses. */
export interface SoakStorage {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle?: boolean;
}

export interface SoakOptions {
  /** The ledger's Postgres server; each run gets a fresh schema on it, dropped at the end. */
  postgresUrl: string;
  /** An S3-compatible bucket to use; default: the embedded store (fs backend) in a child process. */
  storage?: SoakStorage;
  /** How long virtual users start new uploads (default 120 s); uploads in flight then finish. */
  durationMs?: number;
  /** Virtual users (default 200), each its own user id, token and quota. */
  users?: number;
  /** Gateway processes behind the round-robin proxy (default 3). */
  instances?: number;
  /** Largest file (default 50 MiB); files range from 1 KiB up to it. */
  maxFileSize?: number;
  /** Seeds sizes, contents and decisions (default 1). */
  seed?: number;
  /** Share of requests through the gateway proxy whose connection is reset (default 0.02). */
  gatewayFaultRate?: number;
  /** Share of storage connections reset part-way (default 0.03). */
  storageFaultRate?: number;
  /** Share of uploads the user aborts part-way (default 0.05). */
  abortRate?: number;
  /** Samples taken before this are left out of the RSS and fd slopes (default 25% of the run). */
  warmupMs?: number;
  /** Called with progress lines; default: silent. */
  log?: (line: string) => void;
}

export type ResolvedSoakOptions = Required<Omit<SoakOptions, "storage" | "log">> &
  Pick<SoakOptions, "storage"> & { log: (line: string) => void };

export const KiB = 1024;
export const MiB = 1024 * KiB;

export function resolveSoakOptions(options: SoakOptions): ResolvedSoakOptions {
  const durationMs = options.durationMs ?? 120_000;
  const maxFileSize = options.maxFileSize ?? 50 * MiB;
  const resolved: ResolvedSoakOptions = {
    postgresUrl: options.postgresUrl,
    storage: options.storage,
    durationMs,
    users: options.users ?? 200,
    instances: options.instances ?? 3,
    maxFileSize,
    seed: options.seed ?? 1,
    gatewayFaultRate: options.gatewayFaultRate ?? 0.02,
    storageFaultRate: options.storageFaultRate ?? 0.03,
    abortRate: options.abortRate ?? 0.05,
    warmupMs: options.warmupMs ?? Math.round(durationMs / 4),
    log: options.log ?? (() => {}),
  };
  if (!resolved.postgresUrl) throw new TypeError("runSoak needs postgresUrl");
  for (const name of ["durationMs", "users", "instances", "maxFileSize"] as const) {
    const value = resolved[name];
    if (!Number.isSafeInteger(value) || value < 1) throw new TypeError(`${name} must be a positive integer`);
  }
  if (maxFileSize < 16 * KiB) throw new TypeError("maxFileSize must be at least 16 KiB");
  return resolved;
}
