import { loadAwsChain } from "./aws-chain.js";
import { CredentialsError } from "./errors.js";
import { normalizeCredentials, sdkSource } from "./normalize.js";
import type {
  CredentialProvider,
  CredentialSource,
  CredentialStatus,
  CredentialsSetting,
  CurrentCredentials,
  RefreshEvent,
} from "./types.js";

export interface CredentialSourceOptions {
  /**
   * Fetch new credentials this long before the ones held expire: at least the longest URL lifetime
   * plus a minute, so that a URL signed just before a refresh is never cut short. Default 6 minutes.
   */
  refreshMarginMs?: number;
  /** Every fetch from a provider, for logs and metrics. */
  onRefresh?: (event: RefreshEvent) => void;
  /** The clock, in ms (tests). */
  now?: () => number;
  /** Loads the provider for "aws" (default: the AWS SDK's fromNodeProviderChain, loaded on first use). */
  loadAwsChain?: () => Promise<CredentialProvider>;
}

export const DEFAULT_REFRESH_MARGIN_MS = 6 * 60_000;
/** Credentials with less life left than this are treated as expired. */
const MIN_LIFE_MS = 1000;
/** After a failed refresh, the credentials held (still valid) are used this long before trying again. */
const RETRY_AFTER_FAILURE_MS = 5000;
/** After a fetch because storage refused the credentials, another such fetch waits this long (no storms). */
const MIN_RENEW_INTERVAL_MS = 1000;
/** Secret values of this many recent sets stay known to the log scrubber. */
const REMEMBERED_SETS = 3;

interface Held {
  credentials: CurrentCredentials;
  fetchedAt: number;
  /** When to fetch anew: the margin before expiry, but never before half the life is spent. */
  refreshAt: number;
  source: string;
}

const isProvider = (setting: CredentialsSetting): setting is CredentialProvider =>
  typeof setting === "function";

/** Fixed keys: nothing to refresh. */
function staticSource(setting: Exclude<CredentialsSetting, "aws" | CredentialProvider>): CredentialSource {
  const credentials: CurrentCredentials = {
    ...normalizeCredentials(setting, "storage.credentials"),
    generation: 0,
  };
  const secrets = [
    credentials.secretAccessKey,
    ...(credentials.sessionToken ? [credentials.sessionToken] : []),
  ];
  return {
    kind: "static",
    refreshable: false,
    get: async () => credentials,
    renew: async () => credentials,
    status: () => ({
      kind: "static",
      source: "keys in the config",
      accessKeyId: credentials.accessKeyId,
      ...(credentials.expiration && { expiration: credentials.expiration }),
    }),
    secrets: () => secrets,
  };
}

/**
 * Where a storage client's credentials come from. Keys are used as they are. A provider (or "aws",
 * the AWS SDK's default chain, loaded on first use) sits behind a single-flight cache: credentials
 * are fetched again once they are within `refreshMarginMs` of their expiry (concurrent callers share
 * one fetch); a failed fetch keeps the credentials held while they still work (reported through
 * onRefresh, never with a secret); renew() fetches at once after storage refused the ones held.
 */
export function createCredentialSource(
  setting: CredentialsSetting,
  options: CredentialSourceOptions = {},
): CredentialSource {
  if (setting !== "aws" && !isProvider(setting)) return staticSource(setting);
  const kind = setting === "aws" ? "aws" : "provider";
  const now = options.now ?? Date.now;
  const margin = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
  const label = kind === "aws" ? "AWS default chain" : "credentials provider";
  let provider: Promise<CredentialProvider> | undefined =
    setting === "aws" ? undefined : Promise.resolve(setting as CredentialProvider);
  let held: Held | undefined;
  let inflight: Promise<Held> | undefined;
  let generation = 0;
  let lastRenewal = Number.NEGATIVE_INFINITY;
  let retryAt = 0;
  let lastError: string | undefined;
  /** The last failed fetch, while nothing usable is held: callers within a second share its error. */
  let failure: { at: number; error: unknown } | undefined;
  let recent: string[][] = [];
  let secrets: readonly string[] = [];

  const usable = (h: Held | undefined, at: number): h is Held =>
    h !== undefined &&
    (h.credentials.expiration === undefined || h.credentials.expiration.getTime() - at >= MIN_LIFE_MS);

  function refreshAt(expiration: Date | undefined, fetchedAt: number): number {
    if (expiration === undefined) return Number.POSITIVE_INFINITY;
    const end = expiration.getTime();
    return Math.min(Math.max(end - margin, fetchedAt + (end - fetchedAt) / 2), end - MIN_LIFE_MS);
  }

  function remember(credentials: CurrentCredentials): void {
    recent = [
      [credentials.secretAccessKey, ...(credentials.sessionToken ? [credentials.sessionToken] : [])],
      ...recent,
    ];
    recent = recent.slice(0, REMEMBERED_SETS);
    secrets = recent.flat();
  }

  async function fetchOnce(reason: RefreshEvent["reason"]): Promise<Held> {
    if (reason === "refused") lastRenewal = now();
    try {
      provider ??= (options.loadAwsChain ?? loadAwsChain)().catch((err: unknown) => {
        provider = undefined;
        throw err;
      });
      const fetched = await (await provider)({ forceRefresh: true });
      const credentials = normalizeCredentials(fetched, `the ${label}`);
      const at = now();
      if (credentials.expiration !== undefined && credentials.expiration.getTime() - at < MIN_LIFE_MS) {
        throw new CredentialsError(
          `the ${label} returned credentials that expire at ${credentials.expiration.toISOString()}, already past`,
        );
      }
      generation += 1;
      const next: Held = {
        credentials: { ...credentials, generation },
        fetchedAt: at,
        refreshAt: refreshAt(credentials.expiration, at),
        source: kind === "aws" ? `${label}: ${sdkSource(fetched)}` : label,
      };
      held = next;
      retryAt = 0;
      lastError = undefined;
      failure = undefined;
      remember(next.credentials);
      options.onRefresh?.({
        outcome: "ok",
        reason,
        ...(credentials.expiration && { expiration: credentials.expiration }),
      });
      return next;
    } catch (err) {
      lastError = (err as Error)?.message ?? String(err);
      const at = now();
      const kept = usable(held, at);
      if (kept) {
        const left = (held!.credentials.expiration?.getTime() ?? Number.POSITIVE_INFINITY) - at;
        retryAt = at + Math.min(RETRY_AFTER_FAILURE_MS, left / 2);
      }
      options.onRefresh?.({ outcome: "failed", reason, error: err, kept });
      const error =
        err instanceof CredentialsError
          ? err
          : new CredentialsError(`the ${label} failed: ${lastError}`, { cause: err });
      failure = { at, error };
      throw error;
    }
  }

  function refresh(reason: RefreshEvent["reason"]): Promise<Held> {
    inflight ??= fetchOnce(reason).finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  return {
    kind,
    refreshable: true,

    async get() {
      const at = now();
      if (held && at < held.refreshAt) return held.credentials;
      if (usable(held, at) && at < retryAt) return held.credentials;
      // Nothing usable and the provider just failed: no new fetch for every request of a burst.
      if (!usable(held, at) && failure && at - failure.at < MIN_RENEW_INTERVAL_MS) throw failure.error;
      try {
        return (await refresh(held ? "expiring" : "first")).credentials;
      } catch (err) {
        // Keep the last good credentials while they work; the failure was reported (onRefresh).
        if (usable(held, now())) return held.credentials;
        throw err;
      }
    },

    async renew(used) {
      if (held && held.credentials.generation !== used.generation) return held.credentials;
      if (inflight) return (await inflight).credentials;
      if (held && now() - lastRenewal < MIN_RENEW_INTERVAL_MS) return held.credentials;
      return (await refresh("refused")).credentials;
    },

    status(): CredentialStatus {
      return {
        kind,
        source: held?.source ?? label,
        ...(held && { accessKeyId: held.credentials.accessKeyId, fetchedAt: new Date(held.fetchedAt) }),
        ...(held?.credentials.expiration && { expiration: held.credentials.expiration }),
        ...(lastError !== undefined && { lastError }),
      };
    },

    secrets: () => secrets,
  };
}
