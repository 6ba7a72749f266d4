import type { Ledger } from "./types.js";
import { ledgerFailure } from "./unavailable.js";

/**
 * A Ledger that opens (and migrates) the real one on first use. A failed open is retried by the
 * next call. close() closes it only if it was opened and `owned` (a Ledger passed in the config
 * belongs to the caller). A call that fails because the database is unreachable or dropped its
 * connection rejects with LEDGER_UNAVAILABLE (503) instead of becoming a 500; migrate() keeps the
 * driver's own error, for the start-up message.
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

  const run = async <T>(work: (ledger: Ledger) => Promise<T>): Promise<T> => {
    try {
      return await work(await ready());
    } catch (err) {
      throw ledgerFailure(err);
    }
  };

  return {
    migrate: async () => {
      await ready();
    },
    migrationStatus: () => run((l) => l.migrationStatus()),
    ping: () => run((l) => l.ping()),
    async close() {
      if (closed) return;
      closed = true;
      const ledger = await opening?.catch(() => undefined);
      if (ledger && owned) await ledger.close();
    },
    reserve: (rows, quota) => run((l) => l.reserve(rows, quota)),
    usage: (subject, route, periodMs, now) => run((l) => l.usage(subject, route, periodMs, now)),
    findIdempotent: (subject, key) => run((l) => l.findIdempotent(subject, key)),
    get: (id) => run((l) => l.get(id)),
    transition: (id, from, to, patch) => run((l) => l.transition(id, from, to, patch)),
    claimVerification: (id, leaseId, until, now) => run((l) => l.claimVerification(id, leaseId, until, now)),
    renewVerification: (id, leaseId, until) => run((l) => l.renewVerification(id, leaseId, until)),
    releaseVerification: (id, leaseId) => run((l) => l.releaseVerification(id, leaseId)),
    extendExpiry: (id, expiresAt) => run((l) => l.extendExpiry(id, expiresAt)),
    list: (query) => run((l) => l.list(query)),
    findStale: (before, limit) => run((l) => l.findStale(before, limit)),
    ownsKey: (bucket, key, statuses) => run((l) => l.ownsKey(bucket, key, statuses)),
    takeToken: (bucketKey, perMinute, now) => run((l) => l.takeToken(bucketKey, perMinute, now)),
  };
}
