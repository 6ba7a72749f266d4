/**
 * Overwrite: every way a client might choose or influence the key, or write onto an object that is
 * already verified. Keys are the server's; signed PUTs are write-once.
 */
import type { PutInstruction } from "../../../src/core/protocol.js";
import type { AdversarialCase, Refusal } from "../support/case.js";
import { runGatewayCatalogue } from "../support/gateway-catalogue.js";
import {
  createOne,
  type FileDecl,
  put,
  refusal,
  s3Refusal,
  verifiedUpload,
} from "../support/gateway-steps.js";
import type { GatewayWorld } from "../support/gateway-world.js";
import { JPEG, PNG_1X1 } from "../support/samples.js";

type Case = AdversarialCase<GatewayWorld>;
const INVALID = { status: 400, code: "VALIDATION_FAILED" };
const SIGNATURE = { status: 403, code: "SignatureDoesNotMatch" };
const PNG: FileDecl = { name: "a.png", type: "image/png", size: PNG_1X1.length };

function bodyCase(
  name: string,
  attack: string,
  body: (victimKey: string, victimId: string) => unknown,
  expect: Refusal = INVALID,
): Case {
  return {
    family: "overwrite",
    name,
    attack,
    expect,
    setup: async (w) => verifiedUpload(w, await w.token("victim"), "images", PNG, PNG_1X1),
    run: async (w, v) => {
      const victim = v as PutInstruction;
      return refusal(
        await w.api("/v1/uploads", { token: await w.token("mallory"), body: body(victim.key, victim.id) }),
      );
    },
  };
}

/** A fresh upload of mallory's whose signed PUT is sent with a twist against the victim's verified object. */
function putCase(
  name: string,
  attack: string,
  expect: Refusal,
  send: (mine: PutInstruction, victim: PutInstruction) => Promise<Response>,
): Case {
  return {
    family: "overwrite",
    name,
    attack,
    expect,
    setup: async (w) => ({
      victim: await verifiedUpload(w, await w.token("victim"), "images", PNG, PNG_1X1),
      mine: await createOne(w, await w.token("mallory"), "images", {
        ...PNG,
        size: JPEG.length,
        type: "image/jpeg",
      }),
    }),
    run: async (_w, p) => {
      const { mine, victim } = p as { mine: PutInstruction; victim: PutInstruction };
      return s3Refusal(await send(mine, victim));
    },
  };
}

function atKey(url: string, key: string): string {
  const u = new URL(url);
  u.pathname = `/${u.pathname.split("/")[1]}/${key}`;
  return u.toString();
}

const cases: Case[] = [
  bodyCase("key in the file", "a file declaration naming the victim's key", (key) => ({
    route: "images",
    files: [{ ...PNG, key }],
  })),
  bodyCase("key at the top level", "a create body with a top-level key", (key) => ({
    route: "images",
    key,
    files: [PNG],
  })),
  bodyCase("path and prefix", "a file declaration with path and prefix fields", (key) => ({
    route: "images",
    files: [{ ...PNG, path: key, prefix: key.split("/").slice(0, 2).join("/") }],
  })),
  bodyCase("upload id in the file", "a file declaration reusing the victim's upload id", (_key, id) => ({
    route: "images",
    files: [{ ...PNG, id }],
  })),
  bodyCase("bucket override", "a create body choosing another bucket", () => ({
    route: "images",
    bucket: "other-bucket",
    files: [PNG],
  })),
  bodyCase("reserved uploader metadata", "metadata upgate-user naming the victim", () => ({
    route: "images",
    files: [{ ...PNG, metadata: { "upgate-user": "victim" } }],
  })),
  bodyCase(
    "reserved upload-id metadata",
    "metadata upgate-upload with the victim's upload id",
    (_key, id) => ({
      route: "images",
      files: [{ ...PNG, metadata: { "upgate-upload": id } }],
    }),
  ),
  bodyCase("prototype pollution", 'a body with "__proto__": { "key": ... }', (key) =>
    JSON.parse(
      `{"route":"images","files":[${JSON.stringify(PNG)}],"__proto__":{"key":${JSON.stringify(key)}}}`,
    ),
  ),
  {
    family: "overwrite",
    name: "same URL onto a verified object",
    attack: "the victim's own signed PUT replayed with other bytes after verification",
    expect: { status: 412, code: "PreconditionFailed" },
    setup: async (w) => verifiedUpload(w, await w.token("victim"), "images", PNG, PNG_1X1),
    run: async (_w, v) => s3Refusal(await put(v as PutInstruction, PNG_1X1.slice().reverse())),
  },
  {
    family: "overwrite",
    name: "same URL without if-none-match",
    attack: "the victim's signed PUT replayed without its If-None-Match: * header",
    expect: SIGNATURE,
    setup: async (w) => verifiedUpload(w, await w.token("victim"), "images", PNG, PNG_1X1),
    run: async (_w, v) => {
      const i = v as PutInstruction;
      const headers = { ...i.headers };
      delete headers["if-none-match"];
      return s3Refusal(await put(i, PNG_1X1, headers));
    },
  },
  putCase(
    "fresh URL at the victim's key",
    "mallory's signed PUT with its path set to the victim's key",
    SIGNATURE,
    (mine, victim) =>
      fetch(atKey(mine.url, victim.key), { method: "PUT", headers: withoutLength(mine.headers), body: JPEG }),
  ),
  putCase(
    "fresh URL with a traversal path",
    "mallory's signed PUT with ../ climbing to the victim's key",
    SIGNATURE,
    (mine, victim) =>
      fetch(atKey(mine.url, `${mine.key}/../../../${victim.key}`), {
        method: "PUT",
        headers: withoutLength(mine.headers),
        body: JPEG,
      }),
  ),
  putCase(
    "fresh URL with If-Match",
    "mallory's signed PUT with If-Match: * instead of If-None-Match",
    SIGNATURE,
    (mine) => {
      const headers = withoutLength(mine.headers);
      delete headers["if-none-match"];
      return fetch(mine.url, { method: "PUT", headers: { ...headers, "if-match": "*" }, body: JPEG });
    },
  ),
];

function withoutLength(headers: Record<string, string>): Record<string, string> {
  const copy = { ...headers };
  delete copy["content-length"];
  return copy;
}

runGatewayCatalogue(
  "gateway overwrite",
  { routes: { images: { types: ["image/png", "image/jpeg"], maxSize: "1MB" } } },
  cases,
);
