/**
 * Steps of the completion families (verification floods, cross-instance races): uploads ready to
 * complete, floods of completes, and the cost of a verification in storage calls.
 */
import type { MultipartInstruction, PutInstruction } from "../../../src/core/protocol.js";
import type { Gateway } from "../../../src/server/gateway.js";
import { countStorageCalls, type StorageCalls } from "../../support/storage-calls.js";
import type { Refusal } from "./case.js";
import { type FileDecl, putOk, putParts, refusal } from "./gateway-steps.js";
import { opaque, PNG_1X1, sha256b64 } from "./samples.js";

export type Api = (path: string, init?: { token?: string; body?: unknown }) => Promise<Response>;

/** Two parts (5 MiB + 1 MiB): the smallest multipart upload every S3 backend takes. */
export const MULTIPART_BYTES = opaque(6 * 1024 * 1024, 11);
export const MULTIPART_FILE: FileDecl = {
  name: "clip.bin",
  type: "application/octet-stream",
  size: MULTIPART_BYTES.length,
  sha256: sha256b64(MULTIPART_BYTES),
};
export const PNG_FILE: FileDecl = { name: "a.png", type: "image/png", size: PNG_1X1.length };
/** Not a PNG, of a PNG's length: the sniff refuses it (422 VERIFY_CONTENT_MISMATCH). */
export const NOT_A_PNG = new Uint8Array(PNG_1X1.length).fill(0x41);

/** Routes the completion families use. */
export const COMPLETION_ROUTES = {
  images: { types: ["image/png"], maxSize: "1MB" },
  mp: {
    types: ["application/octet-stream"],
    maxSize: "20MB",
    strategy: "multipart" as const,
    partSize: "5MB",
  },
  limited: { types: ["image/png"], maxSize: "1MB", maxFiles: 2, rateLimit: { perMinute: 1 } },
};

export async function createMany<T>(api: Api, token: string, route: string, files: FileDecl[]): Promise<T[]> {
  const res = await api("/v1/uploads", { token, body: { route, files } });
  const body = (await res.json()) as { uploads?: T[] };
  if (res.status !== 201 || !body.uploads) throw new Error(`setup: create answered ${res.status}`);
  return body.uploads;
}

/** A multipart upload with every part in storage; returns its id and the complete body. */
export async function multipartReady(api: Api, token: string): Promise<{ id: string; body: unknown }> {
  const [mp] = await createMany<MultipartInstruction>(api, token, "mp", [MULTIPART_FILE]);
  return { id: mp!.id, body: { parts: await putParts(mp!, MULTIPART_BYTES, { api, token }) } };
}

/** A PUT upload of the images route with `bytes` in storage. */
export async function putReady(
  api: Api,
  token: string,
  bytes: Uint8Array,
): Promise<{ id: string; body: unknown }> {
  const [instruction] = await createMany<PutInstruction>(api, token, "images", [PNG_FILE]);
  await putOk(instruction!, bytes);
  return { id: instruction!.id, body: {} };
}

export function complete(api: Api, token: string, id: string, body: unknown = {}): Promise<Response> {
  return api(`/v1/uploads/${encodeURIComponent(id)}/complete`, { token, body });
}

/**
 * `count` completes of one upload at once, round-robin over `apis`. Every answer must be the same:
 * the same record for a 200, the same status and error code otherwise (instances that answer from
 * the ledger word a rejection's details differently). The shared answer, or
 * `{ status: 0, code: "DIFFERENT_ANSWERS" }`.
 */
export async function completeFlood(
  apis: Api[],
  token: string,
  upload: { id: string; body: unknown },
  count = 20,
): Promise<Refusal> {
  const responses = await Promise.all(
    Array.from({ length: count }, (_, i) => complete(apis[i % apis.length]!, token, upload.id, upload.body)),
  );
  const texts = await Promise.all(responses.map((res) => res.text()));
  const answers = await Promise.all(
    texts.map((text, i) => refusal(new Response(text, { status: responses[i]!.status }))),
  );
  const first = answers[0]!;
  const same = answers.every(
    (a, i) =>
      a.status === first.status && a.code === first.code && (a.status !== 200 || texts[i] === texts[0]),
  );
  return same ? first : { status: 0, code: "DIFFERENT_ANSWERS" };
}

/** Counts the storage calls of these gateways from now on (see countStorageCalls). */
export function meter(gateways: Gateway[]): () => StorageCalls {
  const counts = gateways.map((g) => countStorageCalls(g.storage));
  return () => {
    const total: StorageCalls = {};
    for (const c of counts) for (const [name, n] of Object.entries(c)) total[name] = (total[name] ?? 0) + n;
    return total;
  };
}

/** What `after` spent beyond `before`, by method. */
export function spent(before: StorageCalls, after: StorageCalls): StorageCalls {
  const out: StorageCalls = {};
  for (const [name, n] of Object.entries(after))
    if (n - (before[name] ?? 0) > 0) out[name] = n - (before[name] ?? 0);
  return out;
}

/** Throws unless the flood cost exactly what one complete of an identical upload cost. */
export function expectOneVerification(flood: StorageCalls, one: StorageCalls): void {
  const a = JSON.stringify(Object.entries(flood).sort());
  const b = JSON.stringify(Object.entries(one).sort());
  if (a !== b) throw new Error(`the flood's storage calls ${a} are not one verification's ${b}`);
}

/**
 * `count` completes of upload `id` one after the other, round-robin over `apis`; the answers after
 * the first `allowed` must all be `want` (a 429 with Retry-After >= 1): `want`, or the first that is not.
 */
export async function completesInARow(
  apis: Api[],
  token: string,
  id: string,
  count: number,
  allowed: number,
  want: Refusal,
): Promise<Refusal> {
  for (let i = 0; i < count; i++) {
    const res = await complete(apis[i % apis.length]!, token, id);
    const got = await refusal(res);
    if (i < allowed) continue;
    if (got.status !== want.status || got.code !== want.code) return got;
    if (got.status === 429 && !(Number(res.headers.get("retry-after")) >= 1))
      return { ...got, code: "NO_RETRY_AFTER" };
  }
  return want;
}
