/**
 * Oversized and malformed input to the gateway's JSON API: huge and endless bodies, deep nesting,
 * 10,000-file arrays, long and numerous metadata, duplicated keys, wrong content types, invalid
 * UTF-8, and bodies of the wrong shape.
 */
import type { MultipartInstruction } from "../../../src/core/protocol.js";
import type { AdversarialCase, Refusal } from "../support/case.js";
import { createOne, type FileDecl, refusal } from "../support/gateway-steps.js";
import { CLIENT_IP, type GatewayWorld, openGatewayWorld } from "../support/gateway-world.js";
import { runCatalogue } from "../support/runner.js";

type Case = AdversarialCase<GatewayWorld>;
const INVALID = { status: 400, code: "VALIDATION_FAILED" };
const TOO_LARGE = { status: 413, code: "PAYLOAD_TOO_LARGE" };
const PNG: FileDecl = { name: "a.png", type: "image/png", size: 68 };
const MAX_BODY = 64 * 1024;

function create(
  name: string,
  attack: string,
  body: unknown,
  expect: Refusal = INVALID,
  headers?: Record<string, string>,
): Case {
  return {
    family: "oversized input",
    name,
    attack,
    expect,
    run: async (w) =>
      refusal(
        await w.api("/v1/uploads", { token: await w.token("bloater"), body, ...(headers && { headers }) }),
      ),
  };
}

const encoder = new TextEncoder();
const withFiles = (files: unknown) => ({ route: "images", files });
let pulled = 0;

const cases: Case[] = [
  create(
    "huge JSON body",
    "a 2 MB JSON body (limit 64 KB)",
    withFiles([{ ...PNG, name: "n".repeat(2 * 1024 * 1024) }]),
    TOO_LARGE,
  ),
  {
    family: "oversized input",
    name: "endless streamed body",
    attack: "a body without Content-Length that never ends (read until the limit, then cut off)",
    expect: TOO_LARGE,
    async run(w) {
      pulled = 0;
      const chunk = encoder.encode(`{"route":"images","files":[${" ".repeat(16 * 1024)}`);
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled += chunk.length;
          controller.enqueue(chunk);
        },
      });
      const request = new Request("http://gateway.test/v1/uploads", {
        method: "POST",
        headers: { authorization: `Bearer ${await w.token("bloater")}`, "content-type": "application/json" },
        body,
        duplex: "half",
      } as RequestInit);
      return refusal(await w.gateway.fetch(request, { clientIp: CLIENT_IP }));
    },
    async verify() {
      if (pulled > 4 * MAX_BODY) throw new Error(`the gateway read ${pulled} bytes of an endless body`);
    },
  },
  create(
    "deeply nested metadata",
    "metadata nested 20,000 arrays deep",
    '{"route":"images","files":[{"name":"a.png","type":"image/png","size":68,"metadata":' +
      "[".repeat(20_000) +
      "]".repeat(20_000) +
      "}]}",
    INVALID,
    { "content-type": "application/json" },
  ),
  create(
    "deeply nested body",
    "a body that is 30,000 nested arrays",
    "[".repeat(30_000) + "]".repeat(30_000),
    INVALID,
    { "content-type": "application/json" },
  ),
  create(
    "10,000 files",
    "a create request declaring 10,000 files",
    withFiles(Array.from({ length: 10_000 }, () => 0)),
    { status: 400, code: "POLICY_TOO_MANY_FILES" },
  ),
  create(
    "long metadata value",
    "a 3 KB metadata value",
    withFiles([{ ...PNG, metadata: { note: "x".repeat(3 * 1024) } }]),
  ),
  create(
    "many metadata keys",
    "1,000 metadata keys",
    withFiles([
      { ...PNG, metadata: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, "v"])) },
    ]),
  ),
  create(
    "metadata over 2 KB with uploader's",
    "metadata of exactly 2,048 bytes, which the uploader's own values push over S3's 2 KB",
    withFiles([{ ...PNG, metadata: { note: "x".repeat(2044) } }]),
  ),
  create(
    "30,000-character name",
    "a file name of 30,000 characters",
    withFiles([{ ...PNG, name: "n".repeat(30_000) }]),
  ),
  create(
    "duplicated route key",
    'a body with "route" twice (the last, an unknown route, is the one used)',
    '{"route":"images","route":"secret-admin-route","files":[{"name":"a.png","type":"image/png","size":68}]}',
    { status: 404, code: "ROUTE_NOT_FOUND" },
    { "content-type": "application/json" },
  ),
  create(
    "duplicated size key",
    'a file with "size" twice: 68, then 100 MB (the last is the one checked)',
    '{"route":"images","files":[{"name":"a.png","type":"image/png","size":68,"size":104857600}]}',
    { status: 413, code: "POLICY_TOO_LARGE" },
    { "content-type": "application/json" },
  ),
  create(
    "text/plain body",
    "JSON sent as text/plain (a CORS-simple request)",
    JSON.stringify(withFiles([PNG])),
    INVALID,
    { "content-type": "text/plain" },
  ),
  create(
    "form-encoded body",
    "an application/x-www-form-urlencoded body",
    "route=images&files=a.png",
    INVALID,
    { "content-type": "application/x-www-form-urlencoded" },
  ),
  create(
    "multipart form body",
    "a multipart/form-data body",
    '--x\r\nContent-Disposition: form-data; name="route"\r\n\r\nimages\r\n--x--\r\n',
    INVALID,
    { "content-type": "multipart/form-data; boundary=x" },
  ),
  create(
    "json-looking content type",
    "a content type of application/jsonp",
    JSON.stringify(withFiles([PNG])),
    INVALID,
    { "content-type": "application/jsonp" },
  ),
  create(
    "invalid UTF-8",
    "a body with a lone 0xFF byte in a string",
    new Uint8Array([
      ...encoder.encode('{"route":"images","files":[{"name":"'),
      0xff,
      ...encoder.encode('.png","type":"image/png","size":68}]}'),
    ]),
  ),
  create(
    "UTF-16 body",
    "the JSON body encoded as UTF-16LE with a BOM",
    new Uint8Array([0xff, 0xfe, ...Buffer.from(JSON.stringify(withFiles([PNG])), "utf16le")]),
  ),
  create("null body", 'the JSON body "null"', "null", INVALID, { "content-type": "application/json" }),
  create("array body", "a JSON array as the body", [withFiles([PNG])]),
  create("route as an object", 'route as { "$ne": null } (a query-operator injection)', {
    route: { $ne: null },
    files: [PNG],
  }),
  create("files as a fake array", "files as an object with a huge length", {
    route: "images",
    files: { length: 1e9, 0: PNG },
  }),
  {
    family: "oversized input",
    name: "10,001 parts at completion",
    attack: "a 280 KB complete body listing 10,001 parts (over the body limit)",
    expect: TOO_LARGE,
    setup: async (w) =>
      createOne<MultipartInstruction>(w, await w.token("bloater"), "mp", {
        name: "v.bin",
        type: "application/octet-stream",
        size: 1000,
      }),
    run: async (w, mp) =>
      refusal(
        await w.api(`/v1/uploads/${(mp as MultipartInstruction).id}/complete`, {
          token: await w.token("bloater"),
          body: {
            parts: Array.from({ length: 10_001 }, (_, i) => ({ partNumber: (i % 10_000) + 1, etag: "e" })),
          },
        }),
      ),
  },
  {
    family: "oversized input",
    name: "duplicated parts at completion",
    attack: "a complete body listing part 1 twice with different ETags",
    expect: INVALID,
    setup: async (w) =>
      createOne<MultipartInstruction>(w, await w.token("bloater"), "mp", {
        name: "v.bin",
        type: "application/octet-stream",
        size: 1000,
      }),
    run: async (w, mp) =>
      refusal(
        await w.api(`/v1/uploads/${(mp as MultipartInstruction).id}/complete`, {
          token: await w.token("bloater"),
          body: {
            parts: [
              { partNumber: 1, etag: "a" },
              { partNumber: 1, etag: "b" },
            ],
          },
        }),
      ),
  },
  {
    family: "oversized input",
    name: "1,001 part numbers",
    attack: "a parts request for 1,001 part numbers",
    expect: INVALID,
    setup: async (w) =>
      createOne<MultipartInstruction>(w, await w.token("bloater"), "mp", {
        name: "v.bin",
        type: "application/octet-stream",
        size: 1000,
      }),
    run: async (w, mp) =>
      refusal(
        await w.api(`/v1/uploads/${(mp as MultipartInstruction).id}/parts`, {
          token: await w.token("bloater"),
          body: { partNumbers: Array.from({ length: 1001 }, (_, i) => i + 1) },
        }),
      ),
  },
  {
    family: "oversized input",
    name: "list limit of a million",
    attack: "GET /v1/uploads?limit=1000000",
    expect: INVALID,
    run: async (w) => refusal(await w.api("/v1/uploads?limit=1000000", { token: await w.token("bloater") })),
  },
  {
    family: "oversized input",
    name: "list cursor of 10 KB",
    attack: "GET /v1/uploads with a 10 KB cursor",
    expect: INVALID,
    run: async (w) =>
      refusal(await w.api(`/v1/uploads?cursor=${"c".repeat(10_240)}`, { token: await w.token("bloater") })),
  },
  {
    family: "oversized input",
    name: "forged list cursor",
    attack: "GET /v1/uploads with a cursor the API never issued",
    expect: INVALID,
    run: async (w) =>
      refusal(
        await w.api(`/v1/uploads?cursor=${Buffer.from('{"t":0,"id":"\' OR 1=1"}').toString("base64url")}`, {
          token: await w.token("bloater"),
        }),
      ),
  },
];

runCatalogue(
  "gateway oversized input",
  () =>
    openGatewayWorld({
      limits: { maxBodyBytes: MAX_BODY },
      routes: {
        images: { types: ["image/png"], maxSize: "1MB" },
        mp: { types: ["application/octet-stream"], maxSize: "20MB", strategy: "multipart", partSize: "5MB" },
      },
    }),
  cases,
);
