/**
 * Type confusion: bytes that are not what they are declared as (HTML or SVG as PNG, JPEG as PNG,
 * executables as documents, polyglots, an empty "image"). They are uploaded through the signed URL
 * (storage cannot tell), so completion must reject them and move the object to quarantine.
 */
import type { PutInstruction } from "../../../src/core/protocol.js";
import type { AdversarialCase, Refusal } from "../support/case.js";
import {
  completeRequest,
  createOne,
  createRequest,
  ok,
  put,
  refusal,
  s3Refusal,
} from "../support/gateway-steps.js";
import { type GatewayWorld, openGatewayWorld } from "../support/gateway-world.js";
import { runCatalogue } from "../support/runner.js";
import {
  ELF,
  HTML,
  HTML_THEN_PNG,
  JPEG,
  PDF_THEN_JPEG,
  PNG_1X1,
  PNG_THEN_HTML,
  SVG_SCRIPT,
  WINDOWS_EXE,
  ZIP,
} from "../support/samples.js";

type Case = AdversarialCase<GatewayWorld>;
const QUARANTINE = "quarantine/";
const MISMATCH = { status: 422, code: "VERIFY_CONTENT_MISMATCH" };
const NOT_ALLOWED = { status: 400, code: "POLICY_TYPE_NOT_ALLOWED" };

/** Uploads `bytes` declared as `type` through the signed URL, then completes: must be rejected. */
function rejected(
  name: string,
  attack: string,
  route: string,
  type: string,
  fileName: string,
  bytes: Uint8Array,
): Case {
  return {
    family: "type confusion",
    name,
    attack: `${attack} (uploaded through the signed URL; rejected at completion, the object moved to quarantine)`,
    expect: MISMATCH,
    allowStateChange: true,
    setup: async (w) =>
      createOne(w, await w.token("confuser"), route, { name: fileName, type, size: bytes.length }),
    async run(w, instruction): Promise<Refusal> {
      const i = instruction as PutInstruction;
      const stored = await put(i, bytes);
      if (stored.status !== 200) return s3Refusal(stored);
      return refusal(await completeRequest(w, await w.token("confuser"), i.id));
    },
    async verify(w, instruction) {
      const i = instruction as PutInstruction;
      const keys = (await w.objects()).map((o) => o.key);
      if (keys.includes(i.key)) throw new Error("the rejected object is still at its key");
      if (!keys.includes(`${QUARANTINE}${i.key}`)) throw new Error("the rejected object was not quarantined");
      const row = w.row(i.id);
      if (row?.status !== "rejected" || row.reason !== MISMATCH.code)
        throw new Error(`the ledger says ${row?.status} ${row?.reason}`);
    },
  };
}

function refusedType(name: string, attack: string, route: string, type: string): Case {
  return {
    family: "type confusion",
    name,
    attack,
    expect: type.includes("*") ? { status: 400, code: "VALIDATION_FAILED" } : NOT_ALLOWED,
    run: async (w) =>
      refusal(await createRequest(w, await w.token("confuser"), route, [{ name: "x", type, size: 100 }])),
  };
}

/** Verified (the bytes are what they claim to be), and downloads are served so they cannot run. */
function servedSafely(
  name: string,
  attack: string,
  route: string,
  type: string,
  bytes: Uint8Array,
  want: { disposition: RegExp; contentType: string },
): Case {
  return {
    family: "type confusion",
    name,
    attack: `${attack} (verified: the state changes; the download must not render as a page)`,
    expect: ok(302),
    allowStateChange: true,
    setup: async () => ({}),
    async run(w, prepared) {
      const token = await w.token("confuser");
      const i = await createOne(w, token, route, { name: "pic", type, size: bytes.length });
      await put(i, bytes);
      const done = await completeRequest(w, token, i.id);
      if (done.status !== 200) return refusal(done);
      const res = await w.api(`/v1/files/${i.id}`, { token });
      Object.assign(prepared as object, { location: res.headers.get("location") });
      return refusal(res);
    },
    async verify(_w, prepared) {
      const file = await fetch((prepared as { location: string }).location);
      await file.arrayBuffer();
      const disposition = file.headers.get("content-disposition") ?? "";
      if (!want.disposition.test(disposition)) throw new Error(`served with ${disposition}`);
      if (file.headers.get("content-type") !== want.contentType)
        throw new Error(`served as ${file.headers.get("content-type")}`);
    },
  };
}

const cases: Case[] = [
  rejected(
    "SVG as PNG",
    "an SVG with script declared image/png",
    "images",
    "image/png",
    "logo.png",
    SVG_SCRIPT,
  ),
  rejected(
    "HTML named .png",
    "an HTML page named .png and declared image/png",
    "images",
    "image/png",
    "cat.png",
    HTML,
  ),
  rejected("JPEG as PNG", "JPEG bytes declared image/png", "images", "image/png", "a.png", JPEG),
  rejected(
    "empty image",
    "an empty file declared image/png",
    "images",
    "image/png",
    "empty.png",
    new Uint8Array(0),
  ),
  rejected(
    "HTML then PNG",
    "an HTML page with a PNG appended, declared image/png",
    "images",
    "image/png",
    "a.png",
    HTML_THEN_PNG,
  ),
  rejected(
    "PDF then JPEG",
    "a PDF with a JPEG appended, declared image/jpeg",
    "images",
    "image/jpeg",
    "a.jpg",
    PDF_THEN_JPEG,
  ),
  rejected("ZIP as PNG", "a ZIP (or JAR) declared image/png", "images", "image/png", "a.png", ZIP),
  rejected(
    "ELF as octet-stream",
    "a Linux executable declared application/octet-stream",
    "docs",
    "application/octet-stream",
    "data.bin",
    ELF,
  ),
  rejected(
    "EXE as text",
    "a Windows executable declared text/plain",
    "docs",
    "text/plain",
    "notes.txt",
    WINDOWS_EXE,
  ),
  rejected("PNG as text", "PNG bytes declared text/plain", "docs", "text/plain", "notes.txt", PNG_1X1),
  refusedType(
    "SVG type on an image route",
    "image/svg+xml declared on a PNG/JPEG route",
    "images",
    "image/svg+xml",
  ),
  refusedType("HTML type on an image route", "text/html declared on a PNG/JPEG route", "images", "text/html"),
  refusedType("wildcard type", 'the declared type "image/*", to match any pattern', "images", "image/*"),
  refusedType("any type", 'the declared type "*/*"', "anyimage", "*/*"),
  {
    family: "type confusion",
    name: "PUT with another content type",
    attack: "the signed image/png URL used with Content-Type: text/html",
    expect: { status: 403, code: "SignatureDoesNotMatch" },
    setup: async (w) =>
      createOne(w, await w.token("confuser"), "images", {
        name: "a.png",
        type: "image/png",
        size: HTML.length,
      }),
    run: async (_w, i) => {
      const instruction = i as PutInstruction;
      return s3Refusal(await put(instruction, HTML, { ...instruction.headers, "content-type": "text/html" }));
    },
  },
  servedSafely(
    "SVG with script on image/*",
    "an SVG with script on a route that allows image/*",
    "anyimage",
    "image/svg+xml",
    SVG_SCRIPT,
    { disposition: /^attachment;/, contentType: "image/svg+xml" },
  ),
  servedSafely(
    "PNG-HTML polyglot",
    "a real PNG with an HTML page appended",
    "images",
    "image/png",
    PNG_THEN_HTML,
    { disposition: /^inline;/, contentType: "image/png" },
  ),
];

runCatalogue(
  "gateway type confusion",
  () =>
    openGatewayWorld({
      quarantinePrefix: QUARANTINE,
      routes: {
        images: { types: ["image/png", "image/jpeg"], maxSize: "1MB" },
        anyimage: { types: ["image/*"], maxSize: "1MB" },
        docs: { types: ["text/plain", "application/octet-stream"], maxSize: "1MB" },
      },
    }),
  cases,
);
