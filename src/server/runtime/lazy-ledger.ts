import type { Ledger } from "../ledger/types.js";

/**
 * A Ledger that opens (and migrates) the real one on first use. A failed open is retried by the
 * next call. close() closes it only if it was opened and `owned` (a Ledger passed in the config
 * belongs to the caller).
 */
export function lazyLedger(open: () => Promise<Ledger>, owned: boolean): Ledger {
  let opening: Promise<Ledger> | undefined;
  let closed = false;

  const ready = (): Promise<Ledger> => {
    if (closed) return Promise.reject(new Error("upgate: the gateway is closed"));
    opening ??= (async () => {
      const ledger = await open();
      try {
        await ledger.migrate();
      } catch (err) {
        if (owned) await ledger.close().catch(() => {});
        throw err;
      }
      return ledger;
    })().catch((err: unknown) => {
      opening = undefined;
      throw err;
    });
    return opening;
  };

  return {
    migrate: async () => {
      await ready();
    },
    migrationStatus: async () => (await ready()).migrationStatus(),
    ping: async () => (await ready()).ping(),
    async close() {
      if (closed) return;
      closed = true;
      const ledger = await opening?.catch(() => undefined);
      if (ledger && owned) await ledger.close();
    },
    reserve: async (rows, quota) => (await ready()).reserve(rows, quota),
    usage: async (userId, route, periodMs, now) => (await ready()).usage(userId, route, periodMs, now),
    get: async (id) => (await ready()).get(id),
    transition: async (id, from, to, patch) => (await ready()).transition(id, from, to, patch),
    extendExpiry: async (id, expiresAt) => (await ready()).extendExpiry(id, expiresAt),
    list: async (query) => (await ready()).list(query),
    findStale: async (before, limit) => (await ready()).findStale(before, limit),
    ownsKey: async (bucket, key, statuses) => (await ready()).ownsKey(bucket, key, statuses),
    takeToken: async (bucketKey, perMinute, now) => (await ready()).takeToken(bucketKey, perMinute, now),
  };
}
