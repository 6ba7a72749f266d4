/**
 * Verified means frozen: once an upload is verified, nothing the gateway signed (a PUT URL, a POST
 * form, a part URL) changes the bytes GET /v1/files/:id serves, and an object changed behind the
 * gateway (another writer, a leaked credential) is refused with 409 UPLOAD_CHANGED, never served.
 */
import type { MultipartInstruction, PartInstruction, PostInstruction } from "../../../src/core/protocol.js";
import { postForm } from "../../integ/gateway/support.js";
import type { AdversarialCase } from "../support/case.js";
import { runGatewayCatalogue } from "../support/gateway-catalogue.js";
import {
  completeOk,
  completeRequest,
  createOne,
  type FileDecl,
  ok,
  put,
  putParts,
  refusal,
  s3Refusal,
  signedParts,
  verifiedUpload,
} from "../support/gateway-steps.js";
import type { GatewayWorld } from "../support/gateway-world.js";
import { PNG_1X1 } from "../support/samples.js";

type Case = AdversarialCase<GatewayWorld>;
const CHANGED = { status: 409, code: "UPLOAD_CHANGED" };
const PNG: FileDecl = { name: "a.png", type: "image/png", size: PNG_1X1.length };
const MiB = 1024 * 1024;

/** Script bytes exactly as long as the PNG: a re-post that the form's content-length-range accepts. */
const SAME_LENGTH_HTML = new TextEncoder().encode(
  "<svg onload=alert(document.domain)>".padEnd(PNG_1X1.length, " "),
);
const SAME_LENGTH_PNG = (() => {
  // Still a PNG to a sniffer (the signature and IHDR are kept), but other bytes.
  const other = PNG_1X1.slice();
  other[other.length - 20] = (other[other.length - 20]! + 1) % 256;
  return other;
})();

/** Follows the download redirect and throws unless storage serves exactly `expected`. */
async function assertServes(w: GatewayWorld, user: string, id: string, expected: Uint8Array): Promise<void> {
  const res = await w.api(`/v1/files/${id}`, { token: await w.token(user) });
  const location = res.headers.get("location");
  if (res.status !== 302 || !location) throw new Error(`the download answered ${res.status}`);
  const file = await fetch(location);
  const got = new Uint8Array(await file.arrayBuffer());
  if (file.status !== 200) throw new Error(`storage answered the download with ${file.status}`);
  if (Buffer.compare(Buffer.from(got), Buffer.from(expected)) !== 0)
    throw new Error(`the download serves other bytes than were verified (${got.length} bytes)`);
}

async function verifiedPost(w: GatewayWorld, bytes: Uint8Array): Promise<PostInstruction> {
  const token = await w.token("poster");
  const form = await createOne<PostInstruction>(w, token, "forms", { ...PNG, size: bytes.length });
  const posted = await postForm(form, bytes, "image/png");
  if (posted.status !== 204) throw new Error(`setup: POST answered ${posted.status}`);
  await completeOk(w, token, form.id);
  return form;
}

function postReplay(name: string, attack: string, bytes: Uint8Array, completeAgain: boolean): Case {
  return {
    family: "post replay after complete",
    name,
    attack: `${attack} (storage takes it, but only as an orphan at the form's key, which nothing serves)`,
    expect: ok(302),
    allowStateChange: true,
    setup: (w) => verifiedPost(w, PNG_1X1),
    async run(w, p) {
      const form = p as PostInstruction;
      const reposted = await postForm(form, bytes, "image/png");
      if (reposted.status >= 300) return s3Refusal(reposted);
      if (completeAgain) {
        const again = await completeRequest(w, await w.token("poster"), form.id);
        if (again.status !== 200) return refusal(again);
      }
      return refusal(await w.api(`/v1/files/${form.id}`, { token: await w.token("poster") }));
    },
    async verify(w, p) {
      const form = p as PostInstruction;
      const row = w.row(form.id);
      if (row?.status !== "verified") throw new Error(`the row is ${row?.status}`);
      if (row.key === form.key) throw new Error("the verified object still lives at the form's key");
      await assertServes(w, "poster", form.id, PNG_1X1);
    },
  };
}

/** Writes `bytes` over a verified upload's object with the gateway's own credentials (another writer). */
async function overwriteBehind(w: GatewayWorld, key: string, bytes: Uint8Array): Promise<void> {
  const signed = await w.gateway.storage.presignPut(key, { "content-type": "image/png" }, 60);
  const res = await fetch(signed.url, { method: "PUT", headers: signed.headers, body: bytes });
  if (res.status !== 200) throw new Error(`overwrite answered ${res.status}`);
}

function changedBehind(
  name: string,
  attack: string,
  upload: (w: GatewayWorld) => Promise<{ id: string }>,
  change: (w: GatewayWorld, key: string) => Promise<void>,
): Case {
  return {
    family: "changed behind the gateway",
    name,
    attack: `${attack}, then a download (the change is the attack's own state change)`,
    expect: CHANGED,
    allowStateChange: true,
    setup: upload,
    async run(w, p) {
      const { id } = p as { id: string };
      const key = w.row(id)!.key;
      await change(w, key);
      return refusal(await w.api(`/v1/files/${id}`, { token: await w.token("poster") }));
    },
  };
}

const putUpload = (w: GatewayWorld) =>
  w.token("poster").then((token) => verifiedUpload(w, token, "images", PNG, PNG_1X1));

const cases: Case[] = [
  postReplay(
    "script re-posted after complete",
    "the verified form posted again with script bytes of the same length",
    SAME_LENGTH_HTML,
    false,
  ),
  postReplay(
    "other PNG re-posted after complete",
    "the verified form posted again with another PNG of the same length (passes any sniff)",
    SAME_LENGTH_PNG,
    false,
  ),
  postReplay(
    "re-posted, then completed again",
    "the verified form posted again with script bytes, then complete called again",
    SAME_LENGTH_HTML,
    true,
  ),
  changedBehind(
    "PUT upload overwritten",
    "a verified PUT upload's object overwritten with script bytes by another writer",
    putUpload,
    (w, key) => overwriteBehind(w, key, SAME_LENGTH_HTML),
  ),
  changedBehind(
    "promoted POST upload overwritten",
    "a verified POST upload's (promoted) object overwritten by another writer",
    (w) => verifiedPost(w, PNG_1X1),
    (w, key) => overwriteBehind(w, key, SAME_LENGTH_PNG),
  ),
  changedBehind(
    "object deleted",
    "a verified upload's object deleted behind the gateway",
    putUpload,
    (w, key) => w.gateway.storage.delete(key),
  ),
  {
    family: "part URL after complete",
    name: "part URL re-used after Complete",
    attack:
      "a part 1 URL the uploader had signed for other bytes of the same length (their SHA-256 bound), sent after the upload was verified",
    expect: { status: 404, code: "NoSuchUpload" },
    async setup(w) {
      const token = await w.token("poster");
      const data = new Uint8Array(5 * MiB + 10).fill(7);
      const file = { name: "a.bin", type: "application/octet-stream", size: data.length };
      const mp = await createOne<MultipartInstruction>(w, token, "mp", file);
      const other = new Uint8Array(mp.partSize).fill(1);
      const [spare] = await signedParts(mp, new Map([[1, other]]), { api: w.api, token });
      const parts = await putParts(mp, data, { api: w.api, token });
      await completeOk(w, token, mp.id, { parts });
      return { mp, data, spare, other };
    },
    async run(_w, p) {
      const { spare, other } = p as { spare: PartInstruction; other: Uint8Array };
      return s3Refusal(await put(spare, other));
    },
    async verify(w, p) {
      const { mp, data } = p as { mp: MultipartInstruction; data: Uint8Array };
      await assertServes(w, "poster", mp.id, data);
    },
  },
];

runGatewayCatalogue(
  "gateway frozen uploads",
  {
    routes: {
      images: { types: ["image/png"], maxSize: "1MB", strategy: "put" },
      forms: { types: ["image/png"], maxSize: "1MB", strategy: "post" },
      mp: { types: ["application/octet-stream"], maxSize: "20MB", strategy: "multipart", partSize: "5MB" },
    },
  },
  cases,
);
