import type { StorageClient } from "../../src/server/s3/types.js";

/** Calls made so far, by StorageClient method name. */
export type StorageCalls = Record<string, number>;

/** The calls that read a stored object (what a verification costs). */
export const READS = ["head", "getRange", "getStream"] as const;

/**
 * Counts every call a gateway makes to storage, by method, from now on: the gateway's services hold
 * this same client object, so wrapping its methods sees every request it sends, on any backend.
 */
export function countStorageCalls(storage: StorageClient): StorageCalls {
  const counts: StorageCalls = {};
  const methods = storage as unknown as Record<string, unknown>;
  for (const [name, original] of Object.entries(methods)) {
    if (typeof original !== "function") continue;
    methods[name] = (...args: unknown[]) => {
      counts[name] = (counts[name] ?? 0) + 1;
      return (original as (...a: unknown[]) => unknown).apply(storage, args);
    };
  }
  return counts;
}

/** How many object reads (HEAD, ranged GET, whole GET) the counts hold. */
export function reads(counts: StorageCalls): number {
  return READS.reduce((sum, name) => sum + (counts[name] ?? 0), 0);
}
