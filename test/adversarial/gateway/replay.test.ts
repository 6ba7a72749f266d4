/**
 * Replay at the gateway: another user's upload completed, listed, deleted or downloaded; part URLs
 * for uploads that are someone else's, finished or aborted; signed URLs reused after completion or
 * re-pointed at another key, part or upload; completion with another upload's ETags.
 */
import type { MultipartInstruction, PartInstruction, PutInstruction } from "../../../src/core/protocol.js";
import type { AdversarialCase, Refusal } from "../support/case.js";
import { runGatewayCatalogue } from "../support/gateway-catalogue.js";
import {
  completeOk,
  completeRequest,
  createOne,
  type FileDecl,
  hashedPartsBody,
  ok,
  put,
  putOk,
  putParts,
  refusal,
  s3Refusal,
  signedParts,
  verifiedUpload,
} from "../support/gateway-steps.js";
import type { GatewayWorld } from "../support/gateway-world.js";
import { HTML, opaque, PNG_1X1 } from "../support/samples.js";

type Case = AdversarialCase<GatewayWorld>;
const NOT_FOUND = { status: 404, code: "UPLOAD_NOT_FOUND" };
const CONFLICT = { status: 409, code: "UPLOAD_STATE_CONFLICT" };
const SIGNATURE = { status: 403, code: "SignatureDoesNotMatch" };
const PNG: FileDecl = { name: "a.png", type: "image/png", size: PNG_1X1.length };
const SMALL_MP: FileDecl = { name: "a.bin", type: "application/octet-stream", size: 1000 };

const victimToken = (w: GatewayWorld) => w.token("victim");
const attackerToken = (w: GatewayWorld) => w.token("mallory");

/** The signed URL with its path moved to `key` (same query, so the same signature). */
function repointed(url: string, key: string): string {
  const u = new URL(url);
  u.pathname = `/${u.pathname.split("/")[1]}/${key.split("/").map(encodeURIComponent).join("/")}`;
  return u.toString();
}

function victimCase(
  name: string,
  attack: string,
  expect: Refusal,
  prepare: (w: GatewayWorld) => Promise<unknown>,
  attackWith: (w: GatewayWorld, prepared: unknown) => Promise<Refusal>,
): Case {
  return { family: "replay", name, attack, expect, setup: prepare, run: attackWith };
}

const uploadedPng = async (w: GatewayWorld) => {
  const i = await createOne(w, await victimToken(w), "images", PNG);
  await putOk(i, PNG_1X1);
  return i;
};
const verifiedPng = async (w: GatewayWorld) =>
  verifiedUpload(w, await victimToken(w), "images", PNG, PNG_1X1);
const pendingMultipart = async (w: GatewayWorld) =>
  createOne<MultipartInstruction>(w, await victimToken(w), "mp", SMALL_MP);
const PART_BODY = opaque(1000);
/** The victim's URL for part 1, binding PART_BODY's SHA-256, as the client gets it on a sha256 route. */
const partOne = async (w: GatewayWorld, mp: MultipartInstruction) =>
  (await signedParts(mp, new Map([[1, PART_BODY]]), { api: w.api, token: await victimToken(w) }))[0]!;

const cases: Case[] = [
  victimCase(
    "complete another user's upload",
    "mallory completes the victim's uploaded file",
    NOT_FOUND,
    uploadedPng,
    async (w, i) => refusal(await completeRequest(w, await attackerToken(w), (i as PutInstruction).id)),
  ),
  victimCase(
    "complete twice",
    "the owner completes a verified upload again (idempotent: nothing changes)",
    ok(200),
    verifiedPng,
    async (w, i) => refusal(await completeRequest(w, await victimToken(w), (i as PutInstruction).id)),
  ),
  victimCase(
    "delete another user's upload",
    "mallory deletes the victim's verified file",
    NOT_FOUND,
    verifiedPng,
    async (w, i) =>
      refusal(
        await w.api(`/v1/uploads/${(i as PutInstruction).id}`, {
          method: "DELETE",
          token: await attackerToken(w),
        }),
      ),
  ),
  victimCase(
    "download another user's file",
    "mallory asks for a download URL of the victim's file",
    NOT_FOUND,
    verifiedPng,
    async (w, i) =>
      refusal(await w.api(`/v1/files/${(i as PutInstruction).id}`, { token: await attackerToken(w) })),
  ),
  victimCase(
    "download before verification",
    "a download URL for an upload that was never verified",
    CONFLICT,
    uploadedPng,
    async (w, i) =>
      refusal(await w.api(`/v1/files/${(i as PutInstruction).id}`, { token: await victimToken(w) })),
  ),
  victimCase(
    "part URLs for another user's upload",
    "mallory asks for part URLs of the victim's multipart upload",
    NOT_FOUND,
    pendingMultipart,
    async (w, mp) =>
      refusal(
        await w.api(`/v1/uploads/${(mp as MultipartInstruction).id}/parts`, {
          token: await attackerToken(w),
          body: hashedPartsBody([1]),
        }),
      ),
  ),
  victimCase(
    "part URLs for a completed upload",
    "fresh part URLs for a multipart upload that is already verified",
    CONFLICT,
    async (w) => {
      const token = await victimToken(w);
      const mp = await pendingMultipart(w);
      await putParts(mp, opaque(1000), { api: w.api, token });
      await completeOk(w, token, mp.id);
      return mp;
    },
    async (w, mp) =>
      refusal(
        await w.api(`/v1/uploads/${(mp as MultipartInstruction).id}/parts`, {
          token: await victimToken(w),
          body: hashedPartsBody([1]),
        }),
      ),
  ),
  victimCase(
    "part URLs for an aborted upload",
    "fresh part URLs for a multipart upload that was deleted",
    CONFLICT,
    async (w) => {
      const mp = await pendingMultipart(w);
      await w.api(`/v1/uploads/${mp.id}`, { method: "DELETE", token: await victimToken(w) });
      return mp;
    },
    async (w, mp) =>
      refusal(
        await w.api(`/v1/uploads/${(mp as MultipartInstruction).id}/parts`, {
          token: await victimToken(w),
          body: hashedPartsBody([1]),
        }),
      ),
  ),
  victimCase(
    "part URLs for a PUT upload",
    "part URLs for a single-PUT upload",
    CONFLICT,
    uploadedPng,
    async (w, i) =>
      refusal(
        await w.api(`/v1/uploads/${(i as PutInstruction).id}/parts`, {
          token: await victimToken(w),
          body: hashedPartsBody([1]),
        }),
      ),
  ),
  victimCase(
    "complete an aborted upload",
    "complete an upload after deleting it",
    CONFLICT,
    async (w) => {
      const i = await createOne(w, await victimToken(w), "images", PNG);
      await w.api(`/v1/uploads/${i.id}`, { method: "DELETE", token: await victimToken(w) });
      return i;
    },
    async (w, i) => refusal(await completeRequest(w, await victimToken(w), (i as PutInstruction).id)),
  ),
  victimCase(
    "PUT again after completion",
    "the same signed PUT replayed after the upload was verified",
    { status: 412, code: "PreconditionFailed" },
    verifiedPng,
    async (_w, i) => s3Refusal(await put(i as PutInstruction, PNG_1X1)),
  ),
  victimCase(
    "signed URL re-pointed at another key",
    "mallory's signed PUT with its path changed to the victim's verified key",
    SIGNATURE,
    async (w) => ({
      victim: await verifiedPng(w),
      mine: await createOne(w, await attackerToken(w), "images", PNG),
    }),
    async (_w, p) => {
      const { victim, mine } = p as { victim: PutInstruction; mine: PutInstruction };
      return s3Refusal(
        await fetch(repointed(mine.url, victim.key), { method: "PUT", headers: mine.headers, body: PNG_1X1 }),
      );
    },
  ),
  victimCase(
    "completed URL re-pointed at a pending key",
    "the victim's signed PUT, after its upload was verified, re-pointed at the key of the victim's next (pending) upload",
    SIGNATURE,
    async (w) => ({
      done: await verifiedPng(w),
      next: await createOne(w, await victimToken(w), "images", PNG),
    }),
    async (_w, p) => {
      const { done, next } = p as { done: PutInstruction; next: PutInstruction };
      return s3Refusal(
        await fetch(repointed(done.url, next.key), { method: "PUT", headers: done.headers, body: PNG_1X1 }),
      );
    },
  ),
  victimCase(
    "uploader header swapped",
    "mallory's signed PUT sent with the victim's user and upload id in x-amz-meta-upgate-*",
    SIGNATURE,
    async (w) => ({
      victim: await createOne(w, await victimToken(w), "images", PNG),
      mine: await createOne(w, await attackerToken(w), "images", PNG),
    }),
    async (_w, p) => {
      const { victim, mine } = p as { victim: PutInstruction; mine: PutInstruction };
      return s3Refusal(
        await put(mine, PNG_1X1, {
          ...mine.headers,
          ...pick(victim.headers, "x-amz-meta-upgate-user", "x-amz-meta-upgate-upload"),
        }),
      );
    },
  ),
  victimCase(
    "part URL onto another upload",
    "a part URL with its uploadId swapped for another multipart upload's",
    SIGNATURE,
    async (w) => {
      const a = await pendingMultipart(w);
      const b = await pendingMultipart(w);
      return { a: await partOne(w, a), b };
    },
    async (_w, p) => {
      const { a, b } = p as { a: PartInstruction; b: MultipartInstruction };
      const u = new URL(a.url);
      u.searchParams.set("uploadId", b.uploadId);
      u.pathname = new URL(repointed(a.url, b.key)).pathname;
      return s3Refusal(await fetch(u, { method: "PUT", headers: a.headers, body: PART_BODY }));
    },
  ),
  victimCase(
    "part URL onto another part",
    "part 1's URL with partNumber changed to 2",
    SIGNATURE,
    async (w) => partOne(w, await pendingMultipart(w)),
    async (_w, p) => {
      const part = p as PartInstruction;
      const u = new URL(part.url);
      u.searchParams.set("partNumber", "2");
      return s3Refusal(await fetch(u, { method: "PUT", headers: part.headers, body: PART_BODY }));
    },
  ),
  victimCase(
    "complete with another upload's ETags",
    "complete upload A listing the ETags of upload B's parts",
    { status: 409, code: "UPLOAD_NOT_UPLOADED" },
    async (w) => {
      const a = await pendingMultipart(w);
      const b = await pendingMultipart(w);
      const signer = { api: w.api, token: await victimToken(w) };
      await putParts(a, opaque(1000, 1), signer);
      return { a, bTags: await putParts(b, opaque(1000, 2), signer) };
    },
    async (w, p) => {
      const { a, bTags } = p as {
        a: MultipartInstruction;
        bTags: Array<{ partNumber: number; etag: string }>;
      };
      return refusal(await completeRequest(w, await victimToken(w), a.id, { parts: bTags }));
    },
  ),
  victimCase(
    "complete a rejected upload again",
    "complete again after the upload was rejected (HTML declared as PNG)",
    { status: 422, code: "VERIFY_CONTENT_MISMATCH" },
    async (w) => {
      const token = await victimToken(w);
      const i = await createOne(w, token, "images", { ...PNG, size: HTML.length });
      await putOk(i, HTML);
      await completeRequest(w, token, i.id);
      return i;
    },
    async (w, i) => refusal(await completeRequest(w, await victimToken(w), (i as PutInstruction).id)),
  ),
  {
    family: "replay",
    name: "download URL re-pointed at another key",
    attack: "mallory's presigned download URL with its path changed to the victim's key",
    expect: SIGNATURE,
    setup: async (w) => {
      const victim = await verifiedPng(w);
      const token = await attackerToken(w);
      const mine = await verifiedUpload(w, token, "images", PNG, PNG_1X1);
      const res = await w.api(`/v1/files/${mine.id}`, { token });
      return { victim, location: res.headers.get("location")! };
    },
    run: async (_w, p) => {
      const { victim, location } = p as { victim: PutInstruction; location: string };
      return s3Refusal(await fetch(repointed(location, victim.key)));
    },
  },
  {
    family: "replay",
    name: "list another user's uploads",
    attack: "GET /v1/uploads?userId=victim&user=victim (only the caller's own uploads may be listed)",
    expect: ok(200),
    setup: verifiedPng,
    run: async (w, i) => {
      const res = await w.api("/v1/uploads?userId=victim&user=victim&sub=victim", {
        token: await attackerToken(w),
      });
      const body = (await res.json()) as { uploads: Array<{ id: string }> };
      const leaked = body.uploads.some((u) => u.id === (i as PutInstruction).id);
      return leaked ? { status: res.status, code: "LEAKED" } : { status: res.status, code: "" };
    },
  },
  {
    family: "replay",
    name: "parallel completes",
    attack: "20 completes of one uploaded file at once (it is verified once; the state changes legitimately)",
    expect: ok(200),
    allowStateChange: true,
    setup: uploadedPng,
    async run(w, i) {
      const token = await victimToken(w);
      const answers = await Promise.all(
        Array.from({ length: 20 }, async () =>
          refusal(await completeRequest(w, token, (i as PutInstruction).id)),
        ),
      );
      return answers.find((a) => a.status !== 200) ?? answers[0]!;
    },
    async verify(w, i) {
      const instruction = i as PutInstruction;
      if (w.row(instruction.id)?.status !== "verified") throw new Error("the upload is not verified");
      if (!(await w.objects()).some((o) => o.key === instruction.key)) throw new Error("the object is gone");
    },
  },
  {
    family: "replay",
    name: "parallel completes of bad uploads",
    attack:
      "25 completes at once of each of 4 HTML files declared as PNG (each is rejected once and removed, so the state changes; no caller may be told to upload again)",
    expect: { status: 422, code: "VERIFY_CONTENT_MISMATCH" },
    allowStateChange: true,
    async setup(w) {
      const token = await victimToken(w);
      const uploads: PutInstruction[] = [];
      for (let n = 0; n < 4; n++) {
        const i = await createOne(w, token, "images", { ...PNG, size: HTML.length });
        await putOk(i, HTML);
        uploads.push(i);
      }
      return uploads;
    },
    async run(w, uploads) {
      const token = await victimToken(w);
      const answers = await Promise.all(
        (uploads as PutInstruction[]).flatMap((i) =>
          Array.from({ length: 25 }, async () => refusal(await completeRequest(w, token, i.id))),
        ),
      );
      return answers.find((a) => a.code !== "VERIFY_CONTENT_MISMATCH") ?? answers[0]!;
    },
    async verify(w, uploads) {
      const keys = (await w.objects()).map((o) => o.key);
      for (const i of uploads as PutInstruction[]) {
        if (w.row(i.id)?.status !== "rejected") throw new Error("an upload is not rejected");
        if (keys.includes(i.key)) throw new Error("a rejected object is still stored");
      }
    },
  },
  {
    family: "replay",
    name: "PUT again after rejection",
    attack:
      "the signed PUT replayed after its upload was rejected and its object removed (storage cannot revoke the URL: the object is stored again, so the state changes)",
    expect: { status: 422, code: "VERIFY_CONTENT_MISMATCH" },
    allowStateChange: true,
    async setup(w) {
      const token = await victimToken(w);
      const i = await createOne(w, token, "images", { ...PNG, size: HTML.length });
      await putOk(i, HTML);
      await completeRequest(w, token, i.id);
      return i;
    },
    async run(w, i) {
      const instruction = i as PutInstruction;
      const again = await put(instruction, HTML);
      if (again.status !== 200) return s3Refusal(again);
      return refusal(await completeRequest(w, await victimToken(w), instruction.id));
    },
    async verify(w, i) {
      const instruction = i as PutInstruction;
      if (w.row(instruction.id)?.status !== "rejected") throw new Error("the upload is no longer rejected");
      const download = await w.api(`/v1/files/${instruction.id}`, { token: await victimToken(w) });
      if (download.status !== 409) throw new Error(`the re-uploaded object is served: ${download.status}`);
      await w.gateway.sweep({ now: new Date(Date.now() + 2 * 86_400_000) });
      if ((await w.objects()).some((o) => o.key === instruction.key)) throw new Error("the sweeper left it");
    },
  },
];

function pick(headers: Record<string, string>, ...names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, headers[n]!]));
}

runGatewayCatalogue(
  "gateway replay",
  {
    routes: {
      images: { types: ["image/png"], maxSize: "1MB" },
      mp: { types: ["application/octet-stream"], maxSize: "20MB", strategy: "multipart", partSize: "5MB" },
    },
  },
  cases,
);
