/**
 * Expiry: URLs and forms the gateway signed, used after they expire or before they are valid (the
 * store's clock is moved; the gateway signs with the real time), expiry fields edited in the URL,
 * and uploads the sweeper expired, which the API must no longer complete, extend or serve.
 */
import type {
  MultipartInstruction,
  PartInstruction,
  PostInstruction,
  PutInstruction,
} from "../../../src/core/protocol.js";
import type { AdversarialCase, Refusal } from "../support/case.js";
import {
  completeRequest,
  createOne,
  type FileDecl,
  hashedPartsBody,
  put,
  refusal,
  s3Refusal,
  signedParts,
  verifiedUpload,
} from "../support/gateway-steps.js";
import { type GatewayWorld, openGatewayWorld } from "../support/gateway-world.js";
import { runCatalogue } from "../support/runner.js";
import { opaque, PNG_1X1 } from "../support/samples.js";

type Case = AdversarialCase<GatewayWorld>;
const DENIED = { status: 403, code: "AccessDenied" };
const SIGNATURE = { status: 403, code: "SignatureDoesNotMatch" };
const CONFLICT = { status: 409, code: "UPLOAD_STATE_CONFLICT" };
const PNG: FileDecl = { name: "a.png", type: "image/png", size: PNG_1X1.length };
const BIN: FileDecl = { name: "a.bin", type: "application/octet-stream", size: 1000 };
const user = (w: GatewayWorld) => w.token("late");

/** Runs `send` with the store's clock moved by `offsetMs`, then puts it back. */
async function atStoreTime<T>(w: GatewayWorld, offsetMs: number, send: () => Promise<T>): Promise<T> {
  w.setStoreClockOffset(offsetMs);
  try {
    return await send();
  } finally {
    w.setStoreClockOffset(0);
  }
}

function postForm(i: PostInstruction, body: Uint8Array, type: string): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries(i.fields)) form.append(name, value);
  form.append("file", new Blob([body], { type }), "upload.bin");
  return fetch(i.url, { method: "POST", body: form });
}

function editedUrl(i: PutInstruction, edit: (q: URLSearchParams) => void): string {
  const u = new URL(i.url);
  edit(u.searchParams);
  return u.toString();
}

const MINUTE = 60_000;

/** A pending upload the sweeper expired (its URLs' lifetime and the grace period are over). */
async function swept<T>(w: GatewayWorld, create: () => Promise<T>): Promise<T> {
  const instruction = await create();
  await w.gateway.sweep({ now: new Date(Date.now() + 2 * 86_400_000) });
  return instruction;
}

function storeCase(
  name: string,
  attack: string,
  expect: Refusal,
  setup: Case["setup"],
  run: Case["run"],
): Case {
  return { family: "expiry", name, attack, expect, ...(setup && { setup }), run };
}

const cases: Case[] = [
  storeCase(
    "PUT after expiry",
    "the signed PUT used 2 minutes after its 1-minute lifetime ended",
    DENIED,
    async (w) => createOne(w, await user(w), "images", PNG),
    async (w, i) => s3Refusal(await atStoreTime(w, 3 * MINUTE, () => put(i as PutInstruction, PNG_1X1))),
  ),
  storeCase(
    "PUT a second after expiry",
    "the signed PUT used 61 seconds after signing (lifetime 60 s)",
    DENIED,
    async (w) => createOne(w, await user(w), "images", PNG),
    async (w, i) => s3Refusal(await atStoreTime(w, 61_000, () => put(i as PutInstruction, PNG_1X1))),
  ),
  storeCase(
    "PUT not yet valid",
    "the signed PUT presented to a store whose clock is 20 minutes behind",
    DENIED,
    async (w) => createOne(w, await user(w), "images", PNG),
    async (w, i) => s3Refusal(await atStoreTime(w, -20 * MINUTE, () => put(i as PutInstruction, PNG_1X1))),
  ),
  storeCase(
    "part URL after expiry",
    "a multipart part URL used after it expired",
    DENIED,
    async (w) => {
      const token = await user(w);
      const mp = await createOne<MultipartInstruction>(w, token, "mp", BIN);
      return (await signedParts(mp, new Map([[1, opaque(1000)]]), { api: w.api, token }))[0];
    },
    async (w, part) =>
      s3Refusal(await atStoreTime(w, 3 * MINUTE, () => put(part as PartInstruction, opaque(1000)))),
  ),
  storeCase(
    "POST form after expiry",
    "the signed POST form used after its policy expired",
    DENIED,
    async (w) => createOne<PostInstruction>(w, await user(w), "forms", PNG),
    async (w, i) =>
      s3Refusal(await atStoreTime(w, 3 * MINUTE, () => postForm(i as PostInstruction, PNG_1X1, "image/png"))),
  ),
  storeCase(
    "download URL after expiry",
    "the 60-second download URL used 2 minutes later",
    DENIED,
    async (w) => {
      const token = await user(w);
      const i = await verifiedUpload(w, token, "images", PNG, PNG_1X1);
      return (await w.api(`/v1/files/${i.id}`, { token })).headers.get("location");
    },
    async (w, location) => s3Refusal(await atStoreTime(w, 2 * MINUTE, () => fetch(location as string))),
  ),
  storeCase(
    "X-Amz-Expires extended",
    "the URL's X-Amz-Expires raised from 60 to 604800",
    SIGNATURE,
    async (w) => createOne(w, await user(w), "images", PNG),
    async (w, i) => {
      const instruction = i as PutInstruction;
      const url = editedUrl(instruction, (q) => q.set("X-Amz-Expires", "604800"));
      return s3Refusal(
        await atStoreTime(w, 3 * MINUTE, () =>
          fetch(url, { method: "PUT", headers: noLength(instruction.headers), body: PNG_1X1 }),
        ),
      );
    },
  ),
  storeCase(
    "X-Amz-Date moved forward",
    "the URL's X-Amz-Date moved 3 minutes later to restart its lifetime",
    SIGNATURE,
    async (w) => createOne(w, await user(w), "images", PNG),
    async (w, i) => {
      const instruction = i as PutInstruction;
      const later = new Date(Date.now() + 3 * MINUTE).toISOString().replace(/[-:]|\.\d{3}/g, "");
      const url = editedUrl(instruction, (q) => q.set("X-Amz-Date", later));
      return s3Refusal(
        await atStoreTime(w, 3 * MINUTE, () =>
          fetch(url, { method: "PUT", headers: noLength(instruction.headers), body: PNG_1X1 }),
        ),
      );
    },
  ),
  storeCase(
    "X-Amz-Expires removed",
    "the URL with X-Amz-Expires deleted, hoping for no expiry",
    { status: 400, code: "AuthorizationQueryParametersError" },
    async (w) => createOne(w, await user(w), "images", PNG),
    async (_w, i) => {
      const instruction = i as PutInstruction;
      const url = editedUrl(instruction, (q) => q.delete("X-Amz-Expires"));
      return s3Refusal(
        await fetch(url, { method: "PUT", headers: noLength(instruction.headers), body: PNG_1X1 }),
      );
    },
  ),
  storeCase(
    "complete after expiry",
    "complete an upload the sweeper expired",
    CONFLICT,
    (w) => swept(w, async () => createOne(w, await user(w), "images", PNG)),
    async (w, i) => refusal(await completeRequest(w, await user(w), (i as PutInstruction).id)),
  ),
  storeCase(
    "fresh part URLs after expiry",
    "ask for fresh part URLs to revive a multipart upload the sweeper expired",
    CONFLICT,
    (w) => swept(w, async () => createOne<MultipartInstruction>(w, await user(w), "mp", BIN)),
    async (w, mp) =>
      refusal(
        await w.api(`/v1/uploads/${(mp as MultipartInstruction).id}/parts`, {
          token: await user(w),
          body: hashedPartsBody([1]),
        }),
      ),
  ),
  storeCase(
    "download after expiry",
    "a download URL for an upload the sweeper expired",
    CONFLICT,
    (w) => swept(w, async () => createOne(w, await user(w), "images", PNG)),
    async (w, i) => refusal(await w.api(`/v1/files/${(i as PutInstruction).id}`, { token: await user(w) })),
  ),
  storeCase(
    "expired URL, then complete",
    "a PUT after expiry (refused by storage), then complete as if it had worked",
    { status: 409, code: "UPLOAD_NOT_UPLOADED" },
    async (w) => createOne(w, await user(w), "images", PNG),
    async (w, i) => {
      await atStoreTime(w, 3 * MINUTE, () => put(i as PutInstruction, PNG_1X1));
      return refusal(await completeRequest(w, await user(w), (i as PutInstruction).id));
    },
  ),
];

function noLength(headers: Record<string, string>): Record<string, string> {
  const copy = { ...headers };
  delete copy["content-length"];
  return copy;
}

runCatalogue(
  "gateway expiry",
  () =>
    openGatewayWorld({
      routes: {
        images: { types: ["image/png"], maxSize: "1MB", expiresIn: "1m" },
        forms: { types: ["image/png"], maxSize: "1MB", expiresIn: "1m", strategy: "post" },
        mp: {
          types: ["application/octet-stream"],
          maxSize: "20MB",
          strategy: "multipart",
          partSize: "5MB",
          expiresIn: "1m",
        },
      },
    }),
  cases,
);
