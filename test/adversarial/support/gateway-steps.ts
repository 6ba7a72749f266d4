import { createHash } from "node:crypto";
/** Steps the gateway catalogue's cases are made of: create, upload, complete, and read refusals. */
import { safeSegment } from "../../../src/core/policy/key-segment.js";
import type { MultipartInstruction, PartInstruction, PutInstruction } from "../../../src/core/protocol.js";
import { parseS3Error } from "../../support/s3-error.js";
import type { Refusal } from "./case.js";
import type { GatewayWorld } from "./gateway-world.js";

export interface FileDecl {
  name: string;
  type: string;
  size: number;
  sha256?: string;
  metadata?: Record<string, string>;
}

/** The gateway's answer as a Refusal: its status and error.code ("" for a success or a non-JSON body). */
export async function refusal(res: Response): Promise<Refusal> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown } };
    return { status: res.status, code: typeof body.error?.code === "string" ? body.error.code : "" };
  } catch {
    return { status: res.status, code: "" };
  }
}

/** The storage's answer as a Refusal: its status and S3 <Code> ("" for a success). */
export async function s3Refusal(res: Response): Promise<Refusal> {
  const text = await res.text();
  if (res.status < 300 || !text.includes("<Error>")) return { status: res.status, code: "" };
  return { status: res.status, code: parseS3Error(text, res.status).code };
}

export const ok = (status: number): Refusal => ({ status, code: "" });

export function createRequest(
  w: GatewayWorld,
  token: string | undefined,
  route: string,
  files: FileDecl[],
): Promise<Response> {
  return w.api("/v1/uploads", { ...(token !== undefined && { token }), body: { route, files } });
}

/** Creates one upload that must be accepted; returns its instruction. */
export async function createOne<T = PutInstruction>(
  w: GatewayWorld,
  token: string,
  route: string,
  file: FileDecl,
): Promise<T> {
  const res = await createRequest(w, token, route, [file]);
  const body = (await res.json()) as { uploads?: T[] };
  if (res.status !== 201 || !body.uploads) {
    throw new Error(`setup: create on ${route} answered ${res.status}: ${JSON.stringify(body)}`);
  }
  return body.uploads[0]!;
}

/** PUTs through a signed instruction with exactly its headers (or the given ones). */
export function put(
  instruction: { url: string; headers: Record<string, string> },
  body: Uint8Array,
  headers?: Record<string, string>,
): Promise<Response> {
  const sent = { ...(headers ?? instruction.headers) };
  delete sent["content-length"];
  return fetch(instruction.url, { method: "PUT", headers: sent, body });
}

/** PUT that must succeed at storage (setup). */
export async function putOk(instruction: PutInstruction, body: Uint8Array): Promise<void> {
  const res = await put(instruction, body);
  if (res.status !== 200) throw new Error(`setup: PUT answered ${res.status}: ${await res.text()}`);
}

export function completeRequest(w: GatewayWorld, token: string, id: string, body?: unknown) {
  return w.api(`/v1/uploads/${encodeURIComponent(id)}/complete`, {
    method: "POST",
    token,
    ...(body !== undefined && { body }),
  });
}

export async function completeOk(w: GatewayWorld, token: string, id: string, body?: unknown): Promise<void> {
  const res = await completeRequest(w, token, id, body);
  if (res.status !== 200) throw new Error(`setup: complete answered ${res.status}: ${await res.text()}`);
}

/** create + PUT + complete: a verified upload. */
export async function verifiedUpload(
  w: GatewayWorld,
  token: string,
  route: string,
  file: FileDecl,
  bytes: Uint8Array,
): Promise<PutInstruction> {
  const instruction = await createOne(w, token, route, file);
  await putOk(instruction, bytes);
  await completeOk(w, token, instruction.id);
  return instruction;
}

/** Who signs part URLs: the gateway's API and the uploader's token. */
export interface PartSigner {
  api(
    path: string,
    init?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
  /** The uploader's token, or for an anonymous upload its capability header. */
  token?: string;
  headers?: Record<string, string>;
}

/** Part n of `bytes` under the instruction's fixed plan (parts of partSize, the last one shorter). */
export function partSlice(
  instruction: Pick<MultipartInstruction, "partSize">,
  bytes: Uint8Array,
  partNumber: number,
): Uint8Array {
  const start = (partNumber - 1) * instruction.partSize;
  return bytes.subarray(start, Math.min(start + instruction.partSize, bytes.length));
}

/**
 * Part URLs as the client gets them on a sha256 route: from POST /parts, each binding the SHA-256 of
 * the bytes given for its part (the create answer lists none: a COMPOSITE SHA-256 upload refuses
 * parts without one). In part number order.
 */
export async function signedParts(
  instruction: Pick<MultipartInstruction, "id">,
  bodies: ReadonlyMap<number, Uint8Array>,
  signer: PartSigner,
): Promise<PartInstruction[]> {
  const sha256: Record<string, string> = {};
  for (const [n, body] of bodies) sha256[String(n)] = createHash("sha256").update(body).digest("base64");
  const res = await signer.api(`/v1/uploads/${instruction.id}/parts`, {
    ...(signer.token !== undefined && { token: signer.token }),
    ...(signer.headers !== undefined && { headers: signer.headers }),
    body: { partNumbers: [...bodies.keys()], sha256 },
  });
  if (res.status !== 200) throw new Error(`setup: /parts: ${res.status}: ${await res.text()}`);
  const { parts } = (await res.json()) as { parts: PartInstruction[] };
  return parts.sort((a, b) => a.partNumber - b.partNumber);
}

/**
 * A /parts body as a client sends it on a sha256 route: each part binding a SHA-256 (of `body`), so
 * a case's refusal is for what it attacks (ownership, state, capability...), not a missing hash.
 */
export function hashedPartsBody(partNumbers: readonly number[], body: Uint8Array = new Uint8Array(0)) {
  const sha256 = createHash("sha256").update(body).digest("base64");
  return {
    partNumbers: [...partNumbers],
    sha256: Object.fromEntries(partNumbers.map((n) => [String(n), sha256])),
  };
}

/**
 * Uploads the parts of a multipart instruction (every part, or `partNumbers`) with the given bytes,
 * cut by the instruction's plan; returns the parts' ETags. Each part is sent as the client sends it
 * on a sha256 route: its SHA-256 signed into a fresh URL (signedParts).
 */
export async function putParts(
  instruction: MultipartInstruction,
  bytes: Uint8Array,
  signer: PartSigner,
  partNumbers: readonly number[] = Array.from({ length: instruction.partCount }, (_, i) => i + 1),
): Promise<Array<{ partNumber: number; etag: string }>> {
  const slices = new Map(partNumbers.map((n) => [n, partSlice(instruction, bytes, n)]));
  const out: Array<{ partNumber: number; etag: string }> = [];
  for (const part of await signedParts(instruction, slices, signer)) {
    const sent = await put(part, slices.get(part.partNumber)!);
    if (sent.status !== 200) throw new Error(`setup: part ${part.partNumber}: ${sent.status}`);
    out.push({ partNumber: part.partNumber, etag: sent.headers.get("etag")! });
  }
  return out;
}

const RANDOM_KEY = /^[a-z2-7]{26}(\.[a-z0-9]{1,16})?$/;

/**
 * Throws unless `key` is the server's key for this upload: "{route}/{safe user}/{26 base32 chars =
 * 130 random bits}{ext}", no "." or ".." segment, no control or bidi character, and nothing taken
 * from `fromInput` (the attacker's file name or metadata).
 */
export function assertServerKey(
  key: string,
  expected: { route: string; userId: string; ext: string },
  fromInput: string[] = [],
): void {
  const segments = key.split("/");
  const problems: string[] = [];
  if (segments.length !== 3) problems.push(`has ${segments.length} segments`);
  if (segments[0] !== expected.route) problems.push("does not start with the route");
  if (segments[1] !== safeSegment(expected.userId)) problems.push("its user segment is not the safe user id");
  const last = segments[2] ?? "";
  if (!RANDOM_KEY.test(last) || !last.endsWith(expected.ext))
    problems.push("its last segment is not 130 random bits and the type's extension");
  if (segments.some((s) => s === "." || s === "..")) problems.push("has a dot segment");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point.
  if (/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\\]/.test(key))
    problems.push("has a control, bidi or backslash character");
  // The random segment was checked to be base32 and the type's extension; the rest must not echo the input.
  const outsideRandom = `${segments.slice(0, -1).join("/")}/${expected.ext}`;
  for (const fragment of fromInput) {
    if (outsideRandom.includes(fragment)) problems.push(`contains ${JSON.stringify(fragment)}`);
  }
  if (problems.length > 0) throw new Error(`unsafe key ${JSON.stringify(key)}: ${problems.join("; ")}`);
}

/** Throws unless the bucket holds exactly this object for the upload and the ledger row has the same key. */
export async function assertStoredAt(w: GatewayWorld, id: string, key: string): Promise<void> {
  const row = w.row(id);
  if (!row) throw new Error(`no ledger row for ${id}`);
  if (row.key !== key) throw new Error(`the ledger's key ${row.key} differs from the answer's ${key}`);
  const objects = await w.objects();
  if (!objects.some((o) => o.key === key)) throw new Error(`no object at ${key}`);
}

/** Throws unless the user's holding usage on a route is within the limits. */
export function assertWithinQuota(
  w: GatewayWorld,
  userId: string,
  route: string,
  limit: { bytes?: number; files?: number },
): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const r of w.rows()) {
    if (r.user_id !== userId || r.route !== route) continue;
    if (!["pending", "uploaded", "verified"].includes(r.status)) continue;
    bytes += r.verified_size ?? r.declared_size;
    files++;
  }
  if (limit.bytes !== undefined && bytes > limit.bytes)
    throw new Error(`quota overrun: ${bytes} bytes > ${limit.bytes}`);
  if (limit.files !== undefined && files > limit.files)
    throw new Error(`quota overrun: ${files} files > ${limit.files}`);
  return { bytes, files };
}
