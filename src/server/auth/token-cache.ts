import type { Principal } from "../principal.js";

const MAX_ENTRIES = 1000;
/** A key removed from a JWKS stops being trusted within this long, even for tokens already seen. */
const MAX_TTL_MS = 60_000;

/**
 * Verified tokens, by their exact text, until their exp (and at most a minute): clients send the
 * same token with every request, and a signature check costs more than the rest of a request.
 * Bounded: the oldest entry goes first.
 */
export function createTokenCache(now: () => number = Date.now) {
  const entries = new Map<string, { principal: Principal; until: number }>();
  return {
    get(token: string): Principal | undefined {
      const entry = entries.get(token);
      if (!entry) return undefined;
      if (entry.until <= now()) {
        entries.delete(token);
        return undefined;
      }
      return entry.principal;
    },
    set(token: string, principal: Principal, expSeconds: number | undefined): void {
      const until = Math.min(now() + MAX_TTL_MS, expSeconds === undefined ? 0 : expSeconds * 1000);
      if (until <= now()) return;
      if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
      entries.set(token, { principal, until });
    },
  };
}
