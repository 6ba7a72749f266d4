import type { PresignedRequest } from "../../../src/core/sigv4/presign.js";
import type { SignedRequest } from "../../../src/core/sigv4/sign-request.js";
import type { AdversarialCase, Refusal } from "../support/case.js";
import { runCatalogue } from "../support/runner.js";
import { DENIED, QUERY_ERROR } from "../support/store-refusals.js";
import { BODY, openStoreWorld, type PresignOverrides, type StoreWorld } from "../support/store-world.js";
import { setParam } from "../support/tamper.js";

const SKEWED: Refusal = { status: 403, code: "RequestTimeTooSkewed" };

const MINUTE = 60_000;
const ago = (ms: number) => new Date(Date.now() - ms);

type C = AdversarialCase<StoreWorld>;

function presigned(
  name: string,
  attack: string,
  expect: Refusal,
  input: (w: StoreWorld) => PresignOverrides,
  alterUrl: (url: string) => string = (u) => u,
  method = "PUT",
): C {
  return {
    family: "expiry",
    name,
    attack,
    expect,
    setup: (w) => w.presign(input(w)),
    run: (w, s) => {
      const signed = s as PresignedRequest;
      return w.send(method, alterUrl(signed.url), signed.headers, method === "PUT" ? BODY : undefined);
    },
  };
}

function headerSigned(
  name: string,
  attack: string,
  expect: Refusal,
  date: Date,
  alter: (h: Record<string, string>) => Record<string, string> = (h) => h,
): C {
  return {
    family: "expiry",
    name,
    attack,
    expect,
    setup: async (w) => {
      const path = w.path(w.freshKey("uploads/user-1/skew"));
      return {
        path,
        signed: await w.sign("PUT", path, { headers: { "content-type": "text/plain" }, body: BODY, date }),
      };
    },
    run: (w, p) => {
      const { path, signed } = p as { path: string; signed: SignedRequest };
      return w.send("PUT", path, alter(signed.headers), BODY);
    },
  };
}

/** A fresh URL whose X-Amz-Expires is rewritten after signing to a value S3 refuses as a parameter error. */
const badExpires = (name: string, attack: string, value: string): C =>
  presigned(
    name,
    attack,
    QUERY_ERROR,
    () => ({}),
    (u) => setParam(u, "X-Amz-Expires", value),
  );

const cases: C[] = [
  presigned("presigned PUT expired", "a 60 s URL used two hours after it was signed", DENIED, () => ({
    date: ago(120 * MINUTE),
    expiresIn: 60,
  })),
  presigned(
    "presigned PUT a week old",
    "a URL with the maximum 7-day expiry used one second after it ran out",
    DENIED,
    () => ({
      date: ago(604_801_000),
      expiresIn: 604_800,
    }),
  ),
  badExpires("X-Amz-Expires over a week", "X-Amz-Expires=604801 (S3's limit is 604800)", "604801"),
  badExpires("X-Amz-Expires huge", "X-Amz-Expires=99999999999 (overflow attempt)", "99999999999"),
  presigned(
    "X-Amz-Expires zero",
    "X-Amz-Expires=0 on a URL signed 5 s ago: expired on arrival",
    DENIED,
    () => ({ date: ago(5000) }),
    (u) => setParam(u, "X-Amz-Expires", "0"),
  ),
  badExpires("X-Amz-Expires negative", "X-Amz-Expires=-1", "-1"),
  badExpires("X-Amz-Expires not a number", "X-Amz-Expires=1e3", "1e3"),
  presigned(
    "presigned PUT not yet valid",
    "X-Amz-Date 20 minutes in the future (beyond the 15-minute skew)",
    DENIED,
    () => ({
      date: new Date(Date.now() + 20 * MINUTE),
    }),
  ),
  presigned(
    "presigned PUT a year ahead",
    "X-Amz-Date a year in the future with a short expiry",
    DENIED,
    () => ({
      date: new Date(Date.now() + 365 * 24 * 60 * MINUTE),
    }),
  ),
  presigned(
    "X-Amz-Date in the wrong format",
    "X-Amz-Date=2026-01-01T00:00:00Z (extended ISO 8601)",
    QUERY_ERROR,
    () => ({}),
    (u) => setParam(u, "X-Amz-Date", "2026-01-01T00%3A00%3A00Z"),
  ),
  presigned(
    "presigned DELETE of the stored object expired",
    "an expired DELETE URL for the existing object",
    DENIED,
    (w) => ({ method: "DELETE", key: w.existing.key, headers: {}, date: ago(60 * MINUTE), expiresIn: 600 }),
    (u) => u,
    "DELETE",
  ),
  {
    family: "expiry",
    name: "presigned UploadPart expired",
    attack: "an expired part URL for the upload in progress (its parts must stay as they are)",
    expect: DENIED,
    setup: (w) =>
      w.presign({
        key: w.upload.key,
        headers: { "content-length": BODY.length },
        query: { partNumber: 1, uploadId: w.upload.uploadId },
        date: ago(30 * MINUTE),
        expiresIn: 900,
      }),
    run: (w, s) => w.send("PUT", (s as PresignedRequest).url, (s as PresignedRequest).headers, BODY),
  },
  headerSigned(
    "Authorization header 16 minutes old",
    "x-amz-date 16 minutes in the past",
    SKEWED,
    ago(16 * MINUTE),
  ),
  headerSigned(
    "Authorization header 16 minutes ahead",
    "x-amz-date 16 minutes in the future",
    SKEWED,
    new Date(Date.now() + 16 * MINUTE),
  ),
  headerSigned(
    "Authorization header a day old",
    "a captured request replayed the next day",
    SKEWED,
    ago(24 * 60 * MINUTE),
  ),
  headerSigned("x-amz-date malformed", "x-amz-date: yesterday", DENIED, new Date(), (h) => ({
    ...h,
    "x-amz-date": "yesterday",
  })),
  headerSigned("no date at all", "x-amz-date removed (no Date header either)", DENIED, new Date(), (h) => {
    const { "x-amz-date": _, ...rest } = h;
    return rest;
  }),
  headerSigned(
    "Date header an hour old",
    "x-amz-date replaced by an HTTP Date header one hour old",
    SKEWED,
    new Date(),
    (h) => {
      const { "x-amz-date": _, ...rest } = h;
      return { ...rest, date: ago(60 * MINUTE).toUTCString() };
    },
  ),
];

runCatalogue("store-expiry", openStoreWorld(), cases);
