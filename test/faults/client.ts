/**
 * The clients of the kill tests: create, PUT straight to storage, complete, each recorded in the
 * model. A gateway request that fails while the gateway is being killed counts as interrupted; any
 * other failure, or an answer a live gateway should not give, is a problem.
 */
import { createHash } from "node:crypto";
import { bytes, sha256b64 } from "../integ/gateway/support.js";
import type { FaultTally, KnownUpload, Model } from "./model.js";

// biome-ignore lint/suspicious/noExplicitAny: instructions are read field by field, as a browser would.
type Json = any;

export interface GatewayTarget {
  url: string;
  killed(): boolean;
}

export interface ClientContext {
  model: Model;
  tally: FaultTally;
  tokens: Map<string, string>;
  /** Seeds each upload's bytes, so no two uploads hold the same bytes. */
  nextSeed(): number;
}

/** What a fetch to the gateway gave: an answer, or nothing because the gateway died. */
type Sent = { status: number; body: Json } | undefined;

async function call(
  ctx: ClientContext,
  g: GatewayTarget,
  path: string,
  userId: string,
  method: string,
  body?: unknown,
): Promise<Sent> {
  try {
    const res = await fetch(`${g.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${ctx.tokens.get(userId)}`,
        ...(body !== undefined && { "content-type": "application/json" }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    ctx.tally.acknowledged++;
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  } catch (error) {
    if (g.killed()) {
      ctx.tally.interrupted++;
      return undefined;
    }
    ctx.tally.problems.push(`${method} ${path}: ${String(error)}`);
    return undefined;
  }
}

export interface Created {
  upload: KnownUpload;
  instruction: Json;
  data: Uint8Array;
}

/** POST /v1/uploads for `sizes.length` files; undefined when cut off. */
export async function createUploads(
  ctx: ClientContext,
  g: GatewayTarget,
  userId: string,
  route: string,
  sizes: readonly number[],
): Promise<Created[] | undefined> {
  const data = sizes.map((size) => bytes(size, ctx.nextSeed()));
  const files = data.map((d, i) => ({
    name: `f${i}.bin`,
    type: "application/octet-stream",
    size: d.length,
    sha256: sha256b64(d),
  }));
  const sent = await call(ctx, g, "/v1/uploads", userId, "POST", { route, files });
  if (!sent) return undefined;
  if (sent.status !== 201) {
    ctx.tally.problems.push(`create answered ${sent.status}: ${JSON.stringify(sent.body)}`);
    return undefined;
  }
  return (sent.body.uploads as Json[]).map((instruction, i) => {
    const upload: KnownUpload = {
      id: instruction.id,
      userId,
      route,
      key: instruction.key,
      size: data[i]!.length,
      sha256: createHash("sha256").update(data[i]!).digest("hex"),
      put: false,
      completeSent: false,
      verified: false,
      closed: false,
    };
    ctx.model.uploads.set(upload.id, upload);
    return { upload, instruction, data: data[i]! };
  });
}

/**
 * PUTs the bytes as the instruction says: one PUT, or the single part of a multipart upload, whose
 * URL is signed again through /parts with the part's SHA-256 (a COMPOSITE SHA-256 upload refuses a
 * part without one). Nothing is sent when the gateway dies before it signs.
 */
export async function putBytes(ctx: ClientContext, c: Created, g: GatewayTarget): Promise<void> {
  type Target = { url: string; headers: Record<string, string> };
  let target: Target | undefined = c.instruction;
  if (c.instruction.method === "MULTIPART") {
    if (c.instruction.partCount !== 1) throw new Error(`expected one part, got ${c.instruction.partCount}`);
    const sent = await call(ctx, g, `/v1/uploads/${c.upload.id}/parts`, c.upload.userId, "POST", {
      partNumbers: [1],
      sha256: { "1": sha256b64(c.data) },
    });
    target = sent?.status === 200 ? (sent.body as { parts: Target[] }).parts[0] : undefined;
    if (!target) {
      if (sent) ctx.tally.problems.push(`/parts for ${c.upload.key} answered ${sent.status}`);
      return;
    }
  }
  const res = await fetch(target!.url, { method: "PUT", headers: target!.headers, body: c.data });
  await res.arrayBuffer();
  if (res.status !== 200) {
    ctx.tally.problems.push(`PUT ${c.upload.key} answered ${res.status}`);
    return;
  }
  c.upload.put = true;
}

/**
 * POST /v1/uploads/:id/complete. `mayBeExpired`: a sweep runs concurrently, so a 409 for an upload
 * the ledger holds as expired is a right answer (the upload is then closed).
 */
export async function completeUpload(
  ctx: ClientContext,
  g: GatewayTarget,
  u: KnownUpload,
  mayBeExpired: boolean,
): Promise<"verified" | "closed" | "cut" | "refused"> {
  u.completeSent = true;
  const sent = await call(ctx, g, `/v1/uploads/${u.id}/complete`, u.userId, "POST");
  if (!sent) return "cut";
  if (sent.status === 200 && sent.body.upload?.status === "verified") {
    u.verified = true;
    return "verified";
  }
  if (sent.status === 409 && mayBeExpired) {
    u.closed = true;
    return "closed";
  }
  ctx.tally.problems.push(`complete of ${u.id} answered ${sent.status}: ${JSON.stringify(sent.body)}`);
  return "refused";
}

/** DELETE /v1/uploads/:id (releases the reservation). */
export async function deleteUpload(ctx: ClientContext, g: GatewayTarget, userId: string, id: string) {
  return call(ctx, g, `/v1/uploads/${id}`, userId, "DELETE");
}

/** A create that must be answered (not cut off): for probes after the kills. */
export async function probeCreate(
  ctx: ClientContext,
  g: GatewayTarget,
  userId: string,
  route: string,
  size: number,
): Promise<{ status: number; body: Json }> {
  const file = { name: "probe.bin", type: "application/octet-stream", size };
  const sent = await call(ctx, g, "/v1/uploads", userId, "POST", { route, files: [file] });
  if (!sent) throw new Error("a probe create got no answer");
  return sent;
}
