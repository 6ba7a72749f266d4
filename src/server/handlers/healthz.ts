import type { Handler } from "../context.js";
import { json } from "../http/respond.js";
import { StorageError } from "../s3/types.js";

const CHECK_TIMEOUT_MS = 5_000;
/** A key no upload uses: HEAD on it answers 404 when storage is reachable and the credentials work. */
const PROBE_KEY = ".upgate-healthz-probe";

type Check = { ok: true; ms: number } | { ok: false; ms: number; error: string };

async function timed(run: () => Promise<unknown>, describe: (err: unknown) => string): Promise<Check> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timed out")), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([run(), timeout]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (err) {
    return { ok: false, ms: Math.round(performance.now() - started), error: describe(err) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * GET /healthz: the ledger answers a ping and the storage answers a HEAD. 200 when both do, 503
 * naming what failed. Reasons are short codes (the details go to the log): this endpoint is public.
 */
export const healthz: Handler = async (s) => {
  const [ledger, storage] = await Promise.all([
    timed(
      () => s.ledger.ping(),
      (err) => {
        s.log.error("health check: the ledger failed", err);
        return "ledger unavailable";
      },
    ),
    timed(
      () => s.storage.head(PROBE_KEY),
      (err) => {
        s.log.error("health check: the storage failed", err);
        return err instanceof StorageError
          ? `storage answered ${err.status} ${err.code}`
          : "storage unreachable";
      },
    ),
  ]);
  const ok = ledger.ok && storage.ok;
  return json(ok ? 200 : 503, { ok, checks: { ledger, storage } });
};
