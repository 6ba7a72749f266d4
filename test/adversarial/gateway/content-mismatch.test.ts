/**
 * Content mismatches: bytes that differ from the declared SHA-256, size or type. Storage refuses
 * what the signature binds; what gets past it (multipart parts carry no whole-file checksum, and a
 * lax S3-compatible store may ignore signed headers, simulated here by writing with the gateway's
 * own credentials) must be rejected at completion and the object removed.
 */
import type { MultipartInstruction, PutInstruction } from "../../../src/core/protocol.js";
import type { AdversarialCase, Refusal } from "../support/case.js";
import {
  completeRequest,
  createOne,
  type FileDecl,
  put,
  putParts,
  refusal,
  s3Refusal,
} from "../support/gateway-steps.js";
import { type GatewayWorld, openGatewayWorld } from "../support/gateway-world.js";
import { runCatalogue } from "../support/runner.js";
import { opaque, PNG_1X1, sha256b64 } from "../support/samples.js";

type Case = AdversarialCase<GatewayWorld>;
const BYTES = opaque(1000, 1);
const OTHER = opaque(1000, 2);
const FILE: FileDecl = {
  name: "a.bin",
  type: "application/octet-stream",
  size: 1000,
  sha256: sha256b64(BYTES),
};
const user = (w: GatewayWorld) => w.token("mismatch");

/** The object written at the upload's key by a store that ignores what the URL signed. */
async function laxWrite(
  w: GatewayWorld,
  i: PutInstruction,
  body: Uint8Array,
  overrides: Record<string, string> = {},
) {
  const headers: Record<string, string> = {
    "content-type": i.headers["content-type"]!,
    "x-amz-meta-upgate-user": i.headers["x-amz-meta-upgate-user"]!,
    "x-amz-meta-upgate-upload": i.headers["x-amz-meta-upgate-upload"]!,
    ...overrides,
    "content-length": String(body.length),
  };
  const signed = await w.gateway.storage.presignPut(i.key, headers, 60);
  const sent = { ...signed.headers };
  delete sent["content-length"];
  const res = await fetch(signed.url, { method: "PUT", headers: sent, body });
  if (res.status !== 200) throw new Error(`lax write answered ${res.status}`);
}

/** Rejected at completion: the object is removed and the row records the code. */
function rejectedAtCompletion(
  name: string,
  attack: string,
  code: string,
  file: FileDecl,
  write: (w: GatewayWorld, i: PutInstruction) => Promise<void>,
  options: { objectStays?: boolean } = {},
): Case {
  return {
    family: "content mismatch",
    name,
    attack: `${attack} (the object reaches storage, so the state changes: it must be rejected and ${options.objectStays ? "left for the sweeper" : "removed"})`,
    expect: { status: 422, code },
    allowStateChange: true,
    setup: async (w) => createOne(w, await user(w), "files", file),
    async run(w, i) {
      await write(w, i as PutInstruction);
      return refusal(await completeRequest(w, await user(w), (i as PutInstruction).id));
    },
    async verify(w, i) {
      const instruction = i as PutInstruction;
      const row = w.row(instruction.id);
      if (row?.status !== "rejected" || row.reason !== code)
        throw new Error(`ledger: ${row?.status} ${row?.reason}`);
      const present = (await w.objects()).some((o) => o.key === instruction.key);
      if (present !== (options.objectStays ?? false)) throw new Error(`object present: ${present}`);
    },
  };
}

function refusedByStorage(
  name: string,
  attack: string,
  expect: Refusal,
  send: (i: PutInstruction) => Promise<Response>,
  file: FileDecl = FILE,
): Case {
  return {
    family: "content mismatch",
    name,
    attack,
    expect,
    setup: async (w) => createOne(w, await user(w), "files", file),
    run: async (_w, i) => s3Refusal(await send(i as PutInstruction)),
  };
}

const SIGNATURE = { status: 403, code: "SignatureDoesNotMatch" };
const withoutHeader = (headers: Record<string, string>, name: string) => {
  const copy = { ...headers };
  delete copy[name];
  return copy;
};

const cases: Case[] = [
  refusedByStorage(
    "bytes differ from sha256",
    "other bytes of the right length sent with the signed checksum",
    { status: 400, code: "BadDigest" },
    (i) => put(i, OTHER),
  ),
  refusedByStorage(
    "checksum header dropped",
    "other bytes sent without the signed x-amz-checksum-sha256",
    SIGNATURE,
    (i) => put(i, OTHER, withoutHeader(i.headers, "x-amz-checksum-sha256")),
  ),
  refusedByStorage(
    "checksum header replaced",
    "other bytes sent with their own (correct) checksum in place of the signed one",
    SIGNATURE,
    (i) => put(i, OTHER, { ...i.headers, "x-amz-checksum-sha256": sha256b64(OTHER) }),
  ),
  refusedByStorage("shorter body", "999 bytes for a signed length of 1000", SIGNATURE, (i) =>
    put(i, BYTES.subarray(0, 999)),
  ),
  refusedByStorage("longer body", "1001 bytes for a signed length of 1000", SIGNATURE, (i) =>
    put(i, opaque(1001)),
  ),
  {
    family: "content mismatch",
    name: "complete before upload",
    attack: "complete an upload whose bytes were never sent",
    expect: { status: 409, code: "UPLOAD_NOT_UPLOADED" },
    setup: async (w) => createOne(w, await user(w), "files", FILE),
    run: async (w, i) => refusal(await completeRequest(w, await user(w), (i as PutInstruction).id)),
  },
  {
    family: "content mismatch",
    name: "complete multipart with parts missing",
    attack: "complete a 2-part upload with only its first part sent",
    expect: { status: 409, code: "UPLOAD_NOT_UPLOADED" },
    async setup(w) {
      const token = await user(w);
      const mp = await createOne<MultipartInstruction>(w, token, "mp", {
        name: "v.bin",
        type: "application/octet-stream",
        size: 6 * 1024 * 1024,
      });
      await putParts(mp, opaque(6 * 1024 * 1024), { api: w.api, token }, [1]);
      return mp;
    },
    run: async (w, mp) => refusal(await completeRequest(w, await user(w), (mp as MultipartInstruction).id)),
  },
  {
    family: "content mismatch",
    name: "multipart bytes differ from sha256",
    attack:
      "a multipart upload declaring one SHA-256 whose part carries other bytes (parts carry no whole-file checksum; stored, so the state changes, then rejected and removed)",
    expect: { status: 422, code: "VERIFY_CHECKSUM_MISMATCH" },
    allowStateChange: true,
    setup: async (w) => createOne<MultipartInstruction>(w, await user(w), "mp", FILE),
    async run(w, mp) {
      await putParts(mp as MultipartInstruction, OTHER, { api: w.api, token: await user(w) });
      return refusal(await completeRequest(w, await user(w), (mp as MultipartInstruction).id));
    },
    async verify(w, mp) {
      const m = mp as MultipartInstruction;
      if (w.row(m.id)?.status !== "rejected") throw new Error("not rejected");
      if ((await w.objects()).some((o) => o.key === m.key)) throw new Error("the object is still stored");
    },
  },
  {
    family: "content mismatch",
    name: "part checksum bound, other bytes",
    attack: "a part URL signed with the part's SHA-256 (POST /parts sha256), sent other bytes",
    expect: { status: 400, code: "BadDigest" },
    async setup(w) {
      const mp = await createOne<MultipartInstruction>(w, await user(w), "mp", FILE);
      const res = await w.api(`/v1/uploads/${mp.id}/parts`, {
        token: await user(w),
        body: { partNumbers: [1], sha256: { "1": sha256b64(BYTES) } },
      });
      return ((await res.json()) as { parts: MultipartInstruction["parts"] }).parts[0];
    },
    run: async (_w, part) => s3Refusal(await put(part as MultipartInstruction["parts"][number], OTHER)),
  },
  rejectedAtCompletion(
    "lax store: size differs",
    "a store that ignored the signed length keeps 1,500 bytes for a declared 1,000",
    "VERIFY_SIZE_MISMATCH",
    { ...FILE, sha256: undefined } as FileDecl,
    (w, i) => laxWrite(w, i, opaque(1500)),
  ),
  rejectedAtCompletion(
    "lax store: sha256 differs",
    "a store that ignored the signed checksum keeps other bytes",
    "VERIFY_CHECKSUM_MISMATCH",
    FILE,
    (w, i) => laxWrite(w, i, OTHER),
  ),
  rejectedAtCompletion(
    "lax store: type differs",
    "a store that ignored the signed type keeps text/html",
    "VERIFY_TYPE_MISMATCH",
    FILE,
    (w, i) => laxWrite(w, i, BYTES, { "content-type": "text/html" }),
  ),
  rejectedAtCompletion(
    "lax store: another uploader",
    "an object at the key whose uploader metadata names another upload (not provably ours: left in place)",
    "VERIFY_METADATA_MISMATCH",
    FILE,
    (w, i) => laxWrite(w, i, BYTES, { "x-amz-meta-upgate-upload": "someone-elses-upload" }),
    { objectStays: true },
  ),
  rejectedAtCompletion(
    "lax store: one extra byte",
    "a store that ignored the signed length keeps one byte more than declared",
    "VERIFY_SIZE_MISMATCH",
    { name: "p.bin", type: "application/octet-stream", size: PNG_1X1.length },
    (w, i) => laxWrite(w, i, opaque(PNG_1X1.length + 1)),
  ),
];

runCatalogue(
  "gateway content mismatch",
  () =>
    openGatewayWorld({
      routes: {
        files: { types: ["application/octet-stream"], maxSize: "1MB" },
        mp: { types: ["application/octet-stream"], maxSize: "20MB", strategy: "multipart", partSize: "5MB" },
      },
    }),
  cases,
);
