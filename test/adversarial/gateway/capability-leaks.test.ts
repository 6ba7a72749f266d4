/**
 * Capability leaks: an anonymous upload used to be controlled by its id alone, and storage returns
 * the id to every downloader in x-amz-meta-upgate-upload. Now the id grants nothing: complete,
 * parts, delete and download need the upload's capability (Upgate-Capability), given once in the
 * create answer and kept only hashed; a shareable link's download token downloads and nothing else.
 */
import type { MultipartInstruction, PutInstruction } from "../../../src/core/protocol.js";
import type { AdversarialCase, Refusal } from "../support/case.js";
import { runGatewayCatalogue } from "../support/gateway-catalogue.js";
import { type FileDecl, hashedPartsBody, put, putParts, refusal } from "../support/gateway-steps.js";
import type { GatewayWorld } from "../support/gateway-world.js";
import { opaque, PNG_1X1 } from "../support/samples.js";

type Case = AdversarialCase<GatewayWorld>;
type Anonymous = PutInstruction & { capability?: string; downloadToken?: string };
const REQUIRED: Refusal = { status: 401, code: "AUTH_REQUIRED" };
const PNG: FileDecl = { name: "a.png", type: "image/png", size: PNG_1X1.length };

async function createAnonymous<T = Anonymous>(w: GatewayWorld, route: string, file: FileDecl): Promise<T> {
  const res = await w.api("/v1/uploads", { body: { route, files: [file] } });
  const body = (await res.json()) as { uploads?: T[] };
  if (res.status !== 201 || !body.uploads) throw new Error(`setup: create answered ${res.status}`);
  return body.uploads[0]!;
}

/** The owner's own request: with the capability (an older gateway ignores the header). */
const owner = (upload: { capability?: string }) => ({ "upgate-capability": String(upload.capability) });

async function uploadedAnonymous(w: GatewayWorld): Promise<Anonymous> {
  const upload = await createAnonymous(w, "open", PNG);
  const res = await put(upload, PNG_1X1);
  if (res.status !== 200) throw new Error(`setup: PUT answered ${res.status}`);
  return upload;
}

async function verifiedAnonymous(w: GatewayWorld): Promise<Anonymous> {
  const upload = await uploadedAnonymous(w);
  const res = await w.api(`/v1/uploads/${upload.id}/complete`, { method: "POST", headers: owner(upload) });
  if (res.status !== 200) throw new Error(`setup: complete answered ${res.status}`);
  return upload;
}

/** What a downloader of the shared link sees: the redirect and the stored object's response. */
async function downloadAsStranger(w: GatewayWorld, upload: Anonymous) {
  const redirect = await w.api(`/v1/files/${upload.id}?token=${String(upload.downloadToken)}`);
  const location = redirect.headers.get("location");
  if (redirect.status !== 302 || !location) throw new Error(`setup: download answered ${redirect.status}`);
  const file = await fetch(location);
  const body = new Uint8Array(await file.arrayBuffer());
  return { redirect, location, file, body };
}

const cases: Case[] = [
  {
    family: "capability leaks",
    name: "delete with the id a download returned",
    attack:
      "a stranger given the download link reads x-amz-meta-upgate-upload from the file response and DELETEs that upload without credentials",
    expect: REQUIRED,
    async setup(w) {
      const upload = await verifiedAnonymous(w);
      const seen = await downloadAsStranger(w, upload);
      const served = [seen.location, ...seen.redirect.headers.values(), ...seen.file.headers.values()].join(
        "\n",
      );
      for (const secret of [upload.capability, upload.downloadToken]) {
        if (secret && served.includes(secret)) throw new Error("a secret was served to the downloader");
      }
      // The id is in the metadata on storages that return it; the stranger uses what was served.
      return seen.file.headers.get("x-amz-meta-upgate-upload") ?? upload.id;
    },
    run: async (w, id) => refusal(await w.api(`/v1/uploads/${id as string}`, { method: "DELETE" })),
  },
  {
    family: "capability leaks",
    name: "complete with the upload id alone",
    attack: "someone who learned an anonymous upload's id completes it without its capability",
    expect: REQUIRED,
    setup: uploadedAnonymous,
    run: async (w, u) =>
      refusal(await w.api(`/v1/uploads/${(u as Anonymous).id}/complete`, { method: "POST" })),
  },
  {
    family: "capability leaks",
    name: "download with the upload id alone",
    attack: "GET /v1/files/:id of an anonymous verified upload with neither capability nor download token",
    expect: REQUIRED,
    setup: verifiedAnonymous,
    run: async (w, u) => refusal(await w.api(`/v1/files/${(u as Anonymous).id}`)),
  },
  {
    family: "capability leaks",
    name: "part URLs with the upload id alone",
    attack: "fresh part URLs for an anonymous multipart upload, asked with its id only",
    expect: REQUIRED,
    setup: (w) =>
      createAnonymous<MultipartInstruction>(w, "mp", {
        name: "a.bin",
        type: "application/octet-stream",
        size: 1000,
      }),
    run: async (w, mp) =>
      refusal(
        await w.api(`/v1/uploads/${(mp as MultipartInstruction).id}/parts`, { body: hashedPartsBody([1]) }),
      ),
  },
  {
    family: "capability leaks",
    name: "complete a multipart upload with its id alone",
    attack: "an anonymous multipart upload whose parts are stored, completed by someone holding only its id",
    expect: REQUIRED,
    async setup(w) {
      const mp = await createAnonymous<MultipartInstruction>(w, "mp", {
        name: "a.bin",
        type: "application/octet-stream",
        size: 1000,
      });
      const parts = await putParts(mp, opaque(1000), { api: w.api, headers: owner(mp) });
      return { id: mp.id, parts };
    },
    run: async (w, p) => {
      const { id, parts } = p as { id: string; parts: unknown };
      return refusal(await w.api(`/v1/uploads/${id}/complete`, { body: { parts } }));
    },
  },
  {
    family: "capability leaks",
    name: "delete with the download token",
    attack:
      "the shareable link's read-only token used to DELETE the upload, as ?token= and as the capability header",
    expect: REQUIRED,
    setup: verifiedAnonymous,
    async run(w, u) {
      const upload = u as Anonymous;
      const asQuery = await refusal(
        await w.api(`/v1/uploads/${upload.id}?token=${String(upload.downloadToken)}`, { method: "DELETE" }),
      );
      if (asQuery.status !== 401) return asQuery;
      return refusal(
        await w.api(`/v1/uploads/${upload.id}`, {
          method: "DELETE",
          headers: { "upgate-capability": String(upload.downloadToken) },
        }),
      );
    },
  },
  {
    family: "capability leaks",
    name: "a guessed capability",
    attack: "complete an anonymous upload with a well-formed capability that is not its own",
    expect: REQUIRED,
    setup: uploadedAnonymous,
    run: async (w, u) =>
      refusal(
        await w.api(`/v1/uploads/${(u as Anonymous).id}/complete`, {
          method: "POST",
          headers: { "upgate-capability": `upc_${"a".repeat(32)}` },
        }),
      ),
  },
];

runGatewayCatalogue(
  "gateway capability leaks",
  {
    routes: {
      open: { types: ["image/png"], maxSize: "1MB", public: true },
      mp: {
        types: ["application/octet-stream"],
        maxSize: "20MB",
        strategy: "multipart",
        partSize: "5MB",
        public: true,
      },
    },
  },
  cases,
);
