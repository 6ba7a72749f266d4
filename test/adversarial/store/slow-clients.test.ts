import { createPostPolicy } from "../../../src/core/sigv4/post-policy.js";
import type { PresignedRequest } from "../../../src/core/sigv4/presign.js";
import type { SignedRequest } from "../../../src/core/sigv4/sign-request.js";
import type { AdversarialCase, Refusal } from "../support/case.js";
import { type RawOutcome, type RawPiece, requestHead } from "../support/raw-socket.js";
import { runCatalogue } from "../support/runner.js";
import { openStoreWorld, type StoreWorld } from "../support/store-world.js";

/** Short limits so each attack is cut off within about a second. */
const LIMITS = {
  // The idle timeout is the shorter, so a silent connection is dropped by it (without an answer).
  headersTimeoutMs: 1000,
  idleTimeoutMs: 500,
  minBodyRate: { bytesPerSecond: 2048, graceMs: 500 },
};
const TIMEOUT: Refusal = { status: 400, code: "RequestTimeout" };
/** How long a case waits for the store to drop the attacker before calling it a failure. */
const DEADLINE_MS = 6000;

type C = AdversarialCase<StoreWorld>;
interface Prepared {
  baseline: number;
  sockets: number;
  outcomes: RawOutcome[];
  pieces: (w: StoreWorld) => RawPiece[];
}

/** `n` pieces, each followed by a pause: a client that keeps the connection busy but never finishes. */
const trickle = (piece: () => RawPiece, pauseMs: number, n = 60): RawPiece[] =>
  Array.from({ length: n }, () => [piece(), { pauseMs }]).flat();

async function waitForConnections(w: StoreWorld, atMost: number): Promise<number> {
  const until = Date.now() + 3000;
  for (;;) {
    const n = await w.connections();
    if (n <= atMost || Date.now() > until) return n;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A slow attack over `sockets` raw connections at once: every one must be closed by the store (not
 * by our deadline) and the server's connection count must fall back to what it was before.
 */
function slow(
  name: string,
  attack: string,
  expect: Refusal,
  pieces: (w: StoreWorld, prepared: unknown) => RawPiece[],
  prepare: (w: StoreWorld) => Promise<unknown> = async () => undefined,
  sockets = 1,
): C {
  return {
    family: "slow clients",
    name,
    attack,
    expect,
    setup: async (w) => {
      const extra = await prepare(w);
      // The preparation's keep-alive sockets (fetch) close after a few seconds; wait for them first.
      const baseline = await waitForConnections(w, 0);
      return {
        baseline,
        sockets,
        outcomes: [],
        pieces: (world: StoreWorld) => pieces(world, extra),
      } satisfies Prepared;
    },
    run: async (w, prepared) => {
      const p = prepared as Prepared;
      p.outcomes = await Promise.all(
        Array.from({ length: p.sockets }, () =>
          w.raw(p.pieces(w), { deadlineMs: DEADLINE_MS, halfClose: false, untilClose: true }),
        ),
      );
      const first = p.outcomes[0]!;
      const different = p.outcomes.find((o) => o.status !== first.status || o.code !== first.code);
      return different ? { status: different.status, code: `${first.code} / ${different.code}` } : first;
    },
    verify: async (w, prepared) => {
      const p = prepared as Prepared;
      const kept = p.outcomes.filter((o) => !o.closedByServer);
      if (kept.length > 0)
        throw new Error(`${kept.length} of ${p.sockets} slow connections were never closed by the store`);
      const slowest = Math.max(...p.outcomes.map((o) => o.elapsedMs));
      if (slowest > 4000) throw new Error(`the store took ${slowest} ms to drop a slow client`);
      const now = await waitForConnections(w, p.baseline);
      if (now > p.baseline) throw new Error(`${now} connections still open, ${p.baseline} before the attack`);
    },
  };
}

/** A signed PUT of `length` bytes whose body the cases send slowly. */
async function signedPut(w: StoreWorld, length: number, path = w.path(w.freshKey("uploads/user-1/slow"))) {
  const signed: SignedRequest = await w.sign("PUT", path, { payloadHash: "UNSIGNED-PAYLOAD" });
  const head = requestHead("PUT", path, [
    ["host", w.host],
    ["content-length", String(length)],
    ...Object.entries(signed.headers),
  ]);
  return head;
}

const cases: C[] = [
  slow(
    "slowloris: one header line every 300 ms",
    "a request whose header lines never end, one every 300 ms",
    TIMEOUT,
    (w) => [
      `PUT /${w.bucket}/uploads/user-1/loris HTTP/1.1\r\nhost: ${w.host}\r\n`,
      ...trickle(() => `x-amz-meta-pad-${Math.random().toString(36).slice(2)}: 1\r\n`, 300),
    ],
  ),
  slow(
    "slowloris: one byte every 200 ms",
    "the request line itself sent one byte at a time",
    TIMEOUT,
    (w) => {
      const line = `GET /${w.bucket}/${w.existing.key} HTTP/1.1\r\nhost: ${w.host}\r\nx-pad: ${"z".repeat(60)}`;
      return [...line].flatMap((c) => [c, { pauseMs: 200 }]);
    },
  ),
  slow(
    "twenty slowloris connections at once",
    "20 connections each trickling header lines",
    TIMEOUT,
    (w) => [`GET /${w.bucket} HTTP/1.1\r\nhost: ${w.host}\r\n`, ...trickle(() => "x-pad: 1\r\n", 250)],
    async () => undefined,
    20,
  ),
  slow("silent connection", "a connection that sends nothing at all", { status: 0, code: "" }, () => [
    { pauseMs: DEADLINE_MS },
  ]),
  slow(
    "slow body: stalls after 100 bytes",
    "a signed PUT declaring 10,000 bytes that sends 100 and goes silent",
    TIMEOUT,
    (_w, head) => [head as string, Buffer.alloc(100, "s"), { pauseMs: DEADLINE_MS }],
    (w) => signedPut(w, 10_000),
  ),
  slow(
    "slow body: 20 bytes every 200 ms",
    "a signed PUT of 100,000 bytes trickled at 100 B/s (never idle long enough for the idle timeout)",
    TIMEOUT,
    (_w, head) => [head as string, ...trickle(() => Buffer.alloc(20, "t"), 200)],
    (w) => signedPut(w, 100_000),
  ),
  slow(
    "slow part upload",
    "UploadPart into the upload in progress, trickled at 100 B/s (its parts must stay as they are)",
    TIMEOUT,
    (_w, head) => [head as string, ...trickle(() => Buffer.alloc(20, "u"), 200)],
    (w) =>
      signedPut(
        w,
        50_000,
        w.path(w.upload.key, `partNumber=1&uploadId=${encodeURIComponent(w.upload.uploadId)}`),
      ),
  ),
  slow(
    "slow presigned PUT",
    "a presigned PUT of 50,000 bytes trickled at 100 B/s",
    TIMEOUT,
    (w, s) => {
      const signed = s as PresignedRequest;
      const head = requestHead("PUT", signed.url.slice(w.url.length), [
        ["host", w.host],
        ["content-length", "50000"],
        ...Object.entries(signed.headers).filter(([k]) => k !== "content-length"),
      ]);
      return [head, ...trickle(() => Buffer.alloc(20, "v"), 200)];
    },
    (w) => w.presign({ headers: { "content-length": 50_000, "content-type": "text/plain" } }),
  ),
  slow(
    "slow POST form",
    "a browser form upload whose file part is trickled at 100 B/s",
    TIMEOUT,
    (w, fields) => {
      const boundary = "slowBoundary";
      const pre = Object.entries(fields as Record<string, string>)
        .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
        .join("");
      const fileHead = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="f.txt"\r\nContent-Type: text/plain\r\n\r\n`;
      const head = requestHead("POST", `/${w.bucket}`, [
        ["host", w.host],
        ["content-type", `multipart/form-data; boundary=${boundary}`],
        ["content-length", String(Buffer.byteLength(pre + fileHead) + 60_000)],
      ]);
      return [head, pre, fileHead, ...trickle(() => Buffer.alloc(20, "w"), 200)];
    },
    async (w) =>
      (
        await createPostPolicy({
          endpoint: w.url,
          bucket: w.bucket,
          forcePathStyle: true,
          keyPrefix: "uploads/user-1/",
          region: w.region,
          credentials: w.credentials,
          expiresIn: 300,
          conditions: [["content-length-range", 1, 1_000_000]],
        })
      ).fields,
  ),
];

runCatalogue("store-slow-clients", openStoreWorld({ options: LIMITS }), cases);
