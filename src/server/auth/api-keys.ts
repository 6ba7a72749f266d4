import { constantTimeEqual, sha256Hex } from "../../core/sigv4/crypto.js";
import type { Principal } from "../principal.js";

/**
 * A verifier for static API keys. The candidate's SHA-256 is compared with every key's, always all
 * of them and each in constant time, so the answer's timing says nothing about which key came close.
 */
export function createApiKeyVerifier(
  keys: ReadonlyArray<{ key: string; userId: string }>,
): (candidate: string) => Promise<Principal | undefined> {
  let digests: Promise<string[]> | undefined;
  return async (candidate) => {
    digests ??= Promise.all(keys.map(({ key }) => sha256Hex(key)));
    const [known, digest] = await Promise.all([digests, sha256Hex(candidate)]);
    let match = -1;
    for (let i = 0; i < known.length; i++) {
      if (constantTimeEqual(known[i]!, digest) && match === -1) match = i;
    }
    return match === -1 ? undefined : { userId: keys[match]!.userId, via: "api-key" };
  };
}
