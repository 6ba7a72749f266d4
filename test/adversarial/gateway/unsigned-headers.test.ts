/**
 * Unsigned headers: a signed PUT URL signs the length, type, checksum, If-None-Match and uploader,
 * but not the standard headers storage keeps with the object (Content-Encoding, Cache-Control,
 * Expires, Content-Language, Content-Disposition) nor the website redirect. Whoever holds the URL
 * may add them. Each must end refused by storage or rejected at complete (422
 * VERIFY_HEADER_MISMATCH: object removed, quota released), and the file is never served.
 */
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import type { PutInstruction } from "../../../src/core/protocol.js";
import type { AdversarialCase, Refusal } from "../support/case.js";
import { runGatewayCatalogue } from "../support/gateway-catalogue.js";
import { completeRequest, createOne, put, refusal, s3Refusal } from "../support/gateway-steps.js";
import type { GatewayWorld } from "../support/gateway-world.js";
import { PNG_1X1 } from "../support/samples.js";

type Case = AdversarialCase<GatewayWorld>;
type Prepared = { instruction: PutInstruction; answeredBy?: "storage" | "gateway" };

/** Rejected at complete, or refused by storage itself (a 4xx S3 error: the object never landed). */
function refusedOrRejected(got: Refusal): boolean {
  if (got.status === 422) return got.code === "VERIFY_HEADER_MISMATCH";
  return got.status >= 400 && got.status < 500 && got.code !== "" && !/^[A-Z_]+$/.test(got.code);
}

function headerCase(name: string, attack: string, header: Record<string, string>, body = PNG_1X1): Case {
  return {
    family: "unsigned headers",
    name,
    attack: `${attack} (the row moves to rejected and its object is removed)`,
    expect: refusedOrRejected,
    allowStateChange: true,
    setup: async (w) => ({
      instruction: await createOne(w, await w.token("uploader"), "images", {
        name: "a.png",
        type: "image/png",
        size: body.length,
      }),
    }),
    async run(w, p) {
      const prepared = p as Prepared;
      const { instruction } = prepared;
      const stored = await put(instruction, body, { ...instruction.headers, ...header });
      if (stored.status !== 200) {
        prepared.answeredBy = "storage";
        return s3Refusal(stored);
      }
      prepared.answeredBy = "gateway";
      return refusal(await completeRequest(w, await w.token("uploader"), instruction.id));
    },
    async verify(w, p) {
      const { instruction, answeredBy } = p as Prepared;
      const token = await w.token("uploader");
      const download = await w.api(`/v1/files/${instruction.id}`, { token });
      if (download.status === 302) throw new Error("the upload is served");
      const row = w.row(instruction.id);
      const expected = answeredBy === "storage" ? "pending" : "rejected";
      if (row?.status !== expected) throw new Error(`the row is ${row?.status}, expected ${expected}`);
      if ((await w.objects()).some((o) => o.key === instruction.key))
        throw new Error("the object is still in the bucket");
      // A complete after storage refused the PUT finds no object: still no 5xx.
      const again = await completeRequest(w, token, instruction.id);
      if (again.status >= 500) throw new Error(`a later complete answered ${again.status}`);
    },
  };
}

const ENCODED = [
  ["gzip", gzipSync(PNG_1X1)],
  ["deflate", deflateSync(PNG_1X1)],
  ["br", brotliCompressSync(PNG_1X1)],
] as const;

const cases: Case[] = [
  ...ENCODED.map(([encoding, body]) =>
    headerCase(
      `Content-Encoding ${encoding} of a PNG`,
      `a PUT of ${encoding}-compressed PNG bytes with Content-Encoding: ${encoding}: a reader that decodes sees a PNG, the bucket holds something else`,
      { "content-encoding": encoding },
      new Uint8Array(body),
    ),
  ),
  headerCase(
    "Content-Encoding zstd",
    "a PUT with Content-Encoding: zstd over plain PNG bytes (Node's fetch does not decode zstd; browsers do)",
    { "content-encoding": "zstd" },
  ),
  headerCase(
    "Content-Encoding gzip over a plain PNG",
    "a PNG sent with a wrong Content-Encoding: gzip (made every complete a 503 with an error-level log)",
    { "content-encoding": "gzip" },
  ),
  headerCase("Content-Encoding bogus", "a PUT with Content-Encoding: x-upgate-bogus", {
    "content-encoding": "x-upgate-bogus",
  }),
  headerCase(
    "Content-Encoding identity",
    "a PUT with Content-Encoding: identity (harmless today, but nothing the gateway planned)",
    { "content-encoding": "identity" },
  ),
  headerCase(
    "Cache-Control public for a year",
    "a PUT with Cache-Control: public, max-age=31536000 (shared caches would keep the file)",
    { "cache-control": "public, max-age=31536000" },
  ),
  headerCase("Expires far in the future", "a PUT with Expires: Thu, 31 Dec 2099 23:59:59 GMT", {
    expires: "Thu, 31 Dec 2099 23:59:59 GMT",
  }),
  headerCase("Content-Language", "a PUT with Content-Language: en", { "content-language": "en" }),
  headerCase(
    "Content-Disposition inline as HTML",
    "a PUT with Content-Disposition: inline; filename=page.html",
    { "content-disposition": "inline; filename=page.html" },
  ),
  headerCase(
    "website redirect location",
    "a PUT with x-amz-website-redirect-location: https://evil.example/ (refused unsigned by AWS and the embedded store)",
    { "x-amz-website-redirect-location": "https://evil.example/" },
  ),
];

runGatewayCatalogue(
  "gateway unsigned headers",
  { routes: { images: { types: ["image/png"], maxSize: "1MB", strategy: "put" } } },
  cases,
);
