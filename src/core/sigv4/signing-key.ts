import { type Bytes, hmacSha256, type MaybePromise } from "./crypto.js";

const MAX_ENTRIES = 256;
const cache = new Map<string, MaybePromise<Bytes>>();
/** The last key handed out synchronously: a server signs with one secret, region and day at a time. */
let last: { secret: string; date: string; region: string; service: string; key: Bytes } | undefined;

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request"), cached. */
export function signingKey(
  secret: string,
  date: string,
  region: string,
  service: string,
): MaybePromise<Bytes> {
  const l = last;
  if (l && l.date === date && l.secret === secret && l.region === region && l.service === service)
    return l.key;
  const id = `${date}\n${region}\n${service}\n${secret}`;
  let key = cache.get(id);
  if (key === undefined) {
    key = derive(secret, date, region, service);
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(id, key);
    if (key instanceof Promise) key.catch(() => cache.delete(id));
  }
  if (!(key instanceof Promise)) last = { secret, date, region, service, key };
  return key;
}

function derive(secret: string, date: string, region: string, service: string): MaybePromise<Bytes> {
  const kDate = hmacSha256(`AWS4${secret}`, date);
  if (kDate instanceof Promise) {
    return (async () => {
      const kRegion = await hmacSha256(await kDate, region);
      const kService = await hmacSha256(kRegion, service);
      return hmacSha256(kService, "aws4_request");
    })();
  }
  const kRegion = hmacSha256(kDate, region) as Bytes;
  const kService = hmacSha256(kRegion, service) as Bytes;
  return hmacSha256(kService, "aws4_request") as Bytes;
}

export function clearSigningKeyCache(): void {
  cache.clear();
  last = undefined;
}
