/**
 * Quota evasion: many small files, racing creates, several files in one request, sizes that lie
 * (negative, fractional, multipart parts bigger than planned), and abort/re-create loops. After
 * every case the user's usage is within the quota, read from the ledger's rows.
 */
import type { MultipartInstruction, PartInstruction, PutInstruction } from "../../../src/core/protocol.js";
import type { AdversarialCase } from "../support/case.js";
import {
  assertWithinQuota,
  completeRequest,
  createOne,
  createRequest,
  type FileDecl,
  hashedPartsBody,
  put,
  putParts,
  refusal,
  s3Refusal,
  signedParts,
} from "../support/gateway-steps.js";
import { type GatewayWorld, openGatewayWorld } from "../support/gateway-world.js";
import { runCatalogue } from "../support/runner.js";
import { opaque } from "../support/samples.js";

type Case = AdversarialCase<GatewayWorld>;
const MiB = 1024 * 1024;
const LIMIT = { bytes: 10_000, files: 5 };
const MP_LIMIT = { bytes: 12 * MiB };
const QUOTA = { status: 429, code: "QUOTA_EXCEEDED" };
const INVALID = { status: 400, code: "VALIDATION_FAILED" };
const file = (size: number, name = "f.bin"): FileDecl => ({ name, type: "application/octet-stream", size });

/**
 * A 6 MiB plan's URL for part n, binding the SHA-256 of `body` (what the uploader will send), signed
 * as the client gets it on a sha256 route: the only lie left is the length.
 */
async function partUrl(w: GatewayWorld, partNumber: number, body: Uint8Array): Promise<PartInstruction> {
  const token = await w.token("mp-lie");
  const mp = await createOne<MultipartInstruction>(w, token, "mp", file(6 * MiB));
  const [part] = await signedParts(mp, new Map([[partNumber, body]]), { api: w.api, token });
  return part!;
}

/** A case for `user` on the quota route; verify() checks the ledger kept the user within the quota. */
function quotaCase(user: string, c: Omit<Case, "family" | "verify"> & { verify?: Case["verify"] }): Case {
  return {
    ...c,
    family: "quota evasion",
    async verify(w, prepared) {
      assertWithinQuota(w, user, "quota", LIMIT);
      await c.verify?.(w, prepared);
    },
  };
}

async function fill(w: GatewayWorld, user: string, sizes: number[]): Promise<void> {
  const token = await w.token(user);
  for (const size of sizes) await createOne(w, token, "quota", file(size));
}

async function deleteUpload(w: GatewayWorld, token: string, id: string): Promise<void> {
  const res = await w.api(`/v1/uploads/${id}`, { method: "DELETE", token });
  if (res.status !== 200) throw new Error(`setup: DELETE answered ${res.status}`);
}

/** Fires `count` creates at once; answers the first non-201 refusal, and the number of 201s. */
async function burst(w: GatewayWorld, user: string, count: number, size: number) {
  const token = await w.token(user);
  const answers = await Promise.all(
    Array.from({ length: count }, async () => refusal(await createRequest(w, token, "quota", [file(size)]))),
  );
  const created = answers.filter((a) => a.status === 201).length;
  const refused = answers.filter((a) => a.status !== 201);
  return { created, refused };
}

const cases: Case[] = [
  quotaCase("q-small", {
    name: "many small files",
    attack: "a sixth 1-byte file when the quota allows 5 files (bytes are nowhere near the limit)",
    expect: QUOTA,
    setup: (w) => fill(w, "q-small", [1, 1, 1, 1, 1]),
    run: async (w) => refusal(await createRequest(w, await w.token("q-small"), "quota", [file(1)])),
  }),
  quotaCase("q-bytes", {
    name: "one byte over",
    attack: "1 more byte when 10,000 of 10,000 are reserved",
    expect: QUOTA,
    setup: (w) => fill(w, "q-bytes", [10_000]),
    run: async (w) => refusal(await createRequest(w, await w.token("q-bytes"), "quota", [file(1)])),
  }),
  quotaCase("q-multi", {
    name: "several files in one request",
    attack: "one request with three 4,000-byte files (each fits; together 12,000 > 10,000)",
    expect: QUOTA,
    run: async (w) =>
      refusal(
        await createRequest(w, await w.token("q-multi"), "quota", [file(4000), file(4000), file(4000)]),
      ),
  }),
  quotaCase("q-count", {
    name: "six files in one request",
    attack: "one request with six 1-byte files against a 5-file quota",
    expect: QUOTA,
    run: async (w) =>
      refusal(
        await createRequest(
          w,
          await w.token("q-count"),
          "quota",
          Array.from({ length: 6 }, () => file(1)),
        ),
      ),
  }),
  quotaCase("q-race", {
    name: "parallel creates racing the quota",
    attack:
      "30 creates of 1,000 bytes at once against a 5-file quota (5 are legitimately accepted; the state changes)",
    expect: QUOTA,
    allowStateChange: true,
    async run(w) {
      const { created, refused } = await burst(w, "q-race", 30, 1000);
      const odd = refused.find((r) => r.status !== 429 || r.code !== "QUOTA_EXCEEDED");
      if (created !== 5) return { status: 201, code: `OVERRUN:${created}` };
      return odd ?? refused[0]!;
    },
    async verify(w) {
      const usage = assertWithinQuota(w, "q-race", "quota", LIMIT);
      if (usage.files !== 5) throw new Error(`expected exactly 5 reservations, found ${usage.files}`);
    },
  }),
  quotaCase("q-flood", {
    name: "parallel creates on a full quota",
    attack: "30 creates at once when the quota is already full",
    expect: QUOTA,
    setup: (w) => fill(w, "q-flood", [5000, 5000]),
    async run(w) {
      const { created, refused } = await burst(w, "q-flood", 30, 1);
      if (created > 0) return { status: 201, code: `OVERRUN:${created}` };
      return refused.find((r) => r.status !== 429 || r.code !== "QUOTA_EXCEEDED") ?? refused[0]!;
    },
  }),
  quotaCase("q-negative", {
    name: "negative size",
    attack: "a file of -1,000,000 bytes beside a full-size one, to net the request under the quota",
    expect: INVALID,
    run: async (w) =>
      refusal(await createRequest(w, await w.token("q-negative"), "quota", [file(20_000), file(-1_000_000)])),
  }),
  quotaCase("q-fraction", {
    name: "fractional size",
    attack: "a size of 0.5 bytes",
    expect: INVALID,
    run: async (w) => refusal(await createRequest(w, await w.token("q-fraction"), "quota", [file(0.5)])),
  }),
  quotaCase("q-string", {
    name: "size as a string",
    attack: 'a size of "1e9" (a string a loose parser would read as a number)',
    expect: INVALID,
    run: async (w) =>
      refusal(
        await w.api("/v1/uploads", {
          token: await w.token("q-string"),
          body: { route: "quota", files: [{ name: "f.bin", type: "application/octet-stream", size: "1e9" }] },
        }),
      ),
  }),
  quotaCase("q-huge", {
    name: "size beyond 2^53",
    attack: "a size of 2^64, which loses precision as a double",
    expect: INVALID,
    run: async (w) =>
      refusal(
        await w.api("/v1/uploads", {
          token: await w.token("q-huge"),
          headers: { "content-type": "application/json" },
          body: '{"route":"quota","files":[{"name":"f.bin","type":"application/octet-stream","size":18446744073709551616}]}',
        }),
      ),
  }),
  quotaCase("q-double-delete", {
    name: "double delete",
    attack: "delete an upload twice, hoping to release its bytes twice, then go over the quota",
    expect: QUOTA,
    async setup(w) {
      const token = await w.token("q-double-delete");
      const first = await createOne(w, token, "quota", file(10_000));
      await deleteUpload(w, token, first.id);
      await deleteUpload(w, token, first.id);
      await createOne(w, token, "quota", file(10_000));
    },
    run: async (w) => refusal(await createRequest(w, await w.token("q-double-delete"), "quota", [file(1)])),
  }),
  quotaCase("q-loop", {
    name: "abort/re-create loop",
    attack: "12 create-and-delete cycles at full size, then a full upload, then one byte more",
    expect: QUOTA,
    async setup(w) {
      const token = await w.token("q-loop");
      for (let i = 0; i < 12; i++) {
        const u = await createOne(w, token, "quota", file(10_000));
        await deleteUpload(w, token, u.id);
      }
      await createOne(w, token, "quota", file(10_000));
    },
    run: async (w) => refusal(await createRequest(w, await w.token("q-loop"), "quota", [file(1)])),
  }),
  {
    family: "quota evasion",
    name: "multipart over quota",
    attack: "a 13 MiB multipart plan against a 12 MiB quota",
    expect: QUOTA,
    run: async (w) => refusal(await createRequest(w, await w.token("mp-over"), "mp", [file(13 * MiB)])),
  },
  {
    family: "quota evasion",
    name: "multipart part bigger than planned",
    attack: "a 6 MiB plan (5 MiB + 1 MiB) whose last part is sent as 5 MiB",
    expect: { status: 403, code: "SignatureDoesNotMatch" },
    setup: async (w) => partUrl(w, 2, opaque(5 * MiB)),
    run: async (_w, part) => s3Refusal(await put(part as PartInstruction, opaque(5 * MiB))),
    verify: async (w) => void assertWithinQuota(w, "mp-lie", "mp", MP_LIMIT),
  },
  {
    family: "quota evasion",
    name: "multipart first part bigger than planned",
    attack: "the first 5 MiB part sent with one extra byte",
    expect: { status: 403, code: "SignatureDoesNotMatch" },
    setup: async (w) => partUrl(w, 1, opaque(5 * MiB + 1)),
    run: async (_w, part) => s3Refusal(await put(part as PartInstruction, opaque(5 * MiB + 1))),
  },
  {
    family: "quota evasion",
    name: "part URL beyond the plan",
    attack: "fresh part URLs for part 3 of a 2-part plan, to append unaccounted bytes",
    expect: INVALID,
    setup: async (w) => createOne<MultipartInstruction>(w, await w.token("mp-extra"), "mp", file(6 * MiB)),
    run: async (w, mp) =>
      refusal(
        await w.api(`/v1/uploads/${(mp as MultipartInstruction).id}/parts`, {
          token: await w.token("mp-extra"),
          body: hashedPartsBody([3]),
        }),
      ),
  },
  {
    family: "quota evasion",
    name: "complete with parts beyond the plan",
    attack: "complete a 2-part upload listing a third part the plan never had (more bytes than declared)",
    expect: INVALID,
    async setup(w) {
      const token = await w.token("mp-claim");
      const mp = await createOne<MultipartInstruction>(w, token, "mp", file(6 * MiB));
      const etags = await putParts(mp, opaque(6 * MiB), { api: w.api, token });
      return { mp, etags };
    },
    async run(w, prepared) {
      const { mp, etags } = prepared as {
        mp: MultipartInstruction;
        etags: Array<{ partNumber: number; etag: string }>;
      };
      const parts = [...etags, { partNumber: 3, etag: '"0123456789abcdef0123456789abcdef"' }];
      return refusal(await completeRequest(w, await w.token("mp-claim"), mp.id, { parts }));
    },
  },
  quotaCase("q-stale-url", {
    name: "signed URL of a deleted upload",
    attack:
      "delete a pending upload (releasing its quota), re-reserve the quota, then PUT through the deleted upload's still-valid URL and complete it (storage cannot revoke the URL: the object is stored, so the state changes)",
    expect: { status: 409, code: "UPLOAD_STATE_CONFLICT" },
    allowStateChange: true,
    async setup(w) {
      const token = await w.token("q-stale-url");
      const stale = await createOne<PutInstruction>(w, token, "quota", file(10_000));
      await deleteUpload(w, token, stale.id);
      await createOne(w, token, "quota", file(10_000));
      return stale;
    },
    async run(w, stale) {
      const s = stale as PutInstruction;
      const stored = await put(s, opaque(10_000));
      if (stored.status !== 200) return s3Refusal(stored);
      return refusal(await completeRequest(w, await w.token("q-stale-url"), s.id));
    },
    async verify(w, stale) {
      // The sweeper removes what no live upload owns, once the grace period is over.
      await w.gateway.sweep({ now: new Date(Date.now() + 2 * 86_400_000) });
      const key = (stale as PutInstruction).key;
      if ((await w.objects()).some((o) => o.key === key)) throw new Error("the orphan survived the sweep");
    },
  }),
];

runCatalogue(
  "gateway quota evasion",
  () =>
    openGatewayWorld({
      routes: {
        quota: {
          types: ["application/octet-stream"],
          maxSize: "100KB",
          maxFiles: 20,
          quota: { bytes: LIMIT.bytes, files: LIMIT.files },
        },
        mp: {
          types: ["application/octet-stream"],
          maxSize: "20MB",
          strategy: "multipart",
          partSize: "5MB",
          quota: { bytes: MP_LIMIT.bytes },
        },
      },
    }),
  cases,
);
