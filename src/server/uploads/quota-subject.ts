import type { Principal } from "../principal.js";

/**
 * Whose quota, rate limit and Idempotency-Keys a request counts against: the user id for a signed-in
 * user; for an anonymous caller, `anonymous@<address>`, so one address using up a public route's
 * quota does not block every other anonymous caller. The address is the one clientIp() gives
 * (X-Forwarded-For only with trustProxy). IPv6 addresses count by their /64: one host usually holds
 * a whole /64 and could otherwise take a fresh quota per address.
 */
export function quotaSubject(principal: Principal, clientIp: string | undefined): string {
  if (principal.via !== "anonymous") return principal.userId;
  return `anonymous@${clientIp === undefined ? "unknown" : addressBlock(clientIp)}`;
}

/**
 * An IPv4 address as it is (an IPv4-mapped IPv6 one unwrapped), an IPv6 address as its /64 prefix
 * ("2001:db8:0:1::/64"); anything else (a name a proxy put in X-Forwarded-For) lower-cased as it is.
 */
export function addressBlock(address: string): string {
  const bare = address
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/%.*$/, "");
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(bare);
  if (mapped) return mapped[1]!;
  if (!bare.includes(":")) return bare;
  const groups = ipv6Groups(bare);
  if (!groups) return bare;
  return `${groups.slice(0, 4).join(":")}::/64`;
}

/** The eight groups of an IPv6 address (no leading zeros), or undefined when it is not one. */
function ipv6Groups(address: string): string[] | undefined {
  const halves = address.split("::");
  if (halves.length > 2) return undefined;
  const split = (half: string | undefined) => (half ? half.split(":") : []);
  const head = split(halves[0]);
  let tail = split(halves[1]);
  // An embedded IPv4 tail ("::1.2.3.4") is two groups.
  const last = tail.at(-1) ?? head.at(-1);
  if (last?.includes(".")) {
    const octets = last.split(".").map(Number);
    if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) return undefined;
    const v4 = [((octets[0]! << 8) | octets[1]!).toString(16), ((octets[2]! << 8) | octets[3]!).toString(16)];
    if (tail.length > 0) tail = [...tail.slice(0, -1), ...v4];
    else head.splice(head.length - 1, 1, ...v4);
  }
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill("0"), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => Number.parseInt(g, 16).toString(16));
}
