/** Uploads through a running gateway's API, every request on one keep-alive agent. */
import { createHash } from "node:crypto";
import type { Agent } from "node:http";
import { expect } from "vitest";
import { send, sendJson } from "./keep-alive.js";

const MiB = 1024 * 1024;

/** A single PUT, a browser form POST and a multipart upload (a 5 MiB part, which the store hashes on a worker). */
export const FLOW_ROUTES = {
  notes: { types: ["text/plain"], maxSize: "1MB", strategy: "put" },
  forms: { types: ["text/plain"], maxSize: "1MB", strategy: "post" },
  videos: { types: ["application/octet-stream"], maxSize: "100MB", strategy: "multipart", partSize: "5MB" },
} as const;

interface Instruction {
  id: string;
  method: "PUT" | "POST" | "MULTIPART";
  url?: string;
  headers?: Record<string, string>;
  fields?: Record<string, string>;
  parts?: Array<{ partNumber: number; size: number; url: string; headers: Record<string, string> }>;
  partSize?: number;
  partCount?: number;
}

/** A multipart/form-data body as a browser would send it. */
async function formBody(fields: Record<string, string>, bytes: Uint8Array, type: string) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append("file", new Blob([bytes], { type }), "upload.txt");
  const encoded = new Request("http://form.invalid/", { method: "POST", body: form });
  return {
    body: new Uint8Array(await encoded.arrayBuffer()),
    type: encoded.headers.get("content-type")!,
  };
}

/** Creates, sends and completes one upload of `bytes` on `route`; expects it verified. */
export async function uploadThrough(
  agent: Agent,
  gatewayUrl: string,
  token: string,
  route: string,
  bytes: Uint8Array,
  type: string,
): Promise<void> {
  const auth = { authorization: `Bearer ${token}` };
  const created = await sendJson(
    agent,
    "POST",
    `${gatewayUrl}/v1/uploads`,
    { route, files: [{ name: "file", type, size: bytes.length }] },
    auth,
  );
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  const [upload] = created.json.uploads as Instruction[];
  let completion: unknown = {};
  if (upload!.method === "PUT") {
    const put = await send(agent, "PUT", upload!.url!, { headers: upload!.headers!, body: bytes });
    expect(put.status, put.body.toString()).toBe(200);
  } else if (upload!.method === "POST") {
    const form = await formBody(upload!.fields!, bytes, type);
    const post = await send(agent, "POST", upload!.url!, {
      headers: { "content-type": form.type },
      body: form.body,
    });
    expect(post.status, post.body.toString()).toBe(204);
  } else {
    // A sha256 route's multipart upload is COMPOSITE SHA-256: each part's URL comes from /parts,
    // binding that part's hash, as the client does.
    const slices = new Map<number, Uint8Array>();
    for (let n = 1; n <= upload!.partCount!; n++) {
      slices.set(n, bytes.subarray((n - 1) * upload!.partSize!, n * upload!.partSize!));
    }
    const sha256 = Object.fromEntries(
      [...slices].map(([n, slice]) => [String(n), createHash("sha256").update(slice).digest("base64")]),
    );
    const signed = await sendJson(
      agent,
      "POST",
      `${gatewayUrl}/v1/uploads/${upload!.id}/parts`,
      { partNumbers: [...slices.keys()], sha256 },
      auth,
    );
    expect(signed.status, JSON.stringify(signed.json)).toBe(200);
    const parts = [];
    for (const part of signed.json.parts as NonNullable<Instruction["parts"]>) {
      const sent = await send(agent, "PUT", part.url, {
        headers: part.headers,
        body: slices.get(part.partNumber)!,
      });
      expect(sent.status, sent.body.toString()).toBe(200);
      parts.push({
        partNumber: part.partNumber,
        etag: sent.headers.etag,
        sha256: sha256[String(part.partNumber)],
      });
    }
    completion = { parts };
  }
  const done = await sendJson(
    agent,
    "POST",
    `${gatewayUrl}/v1/uploads/${upload!.id}/complete`,
    completion,
    auth,
  );
  expect(done.status, JSON.stringify(done.json)).toBe(200);
  expect((done.json.upload as { status: string }).status).toBe("verified");
}

/** One upload of each kind: a single PUT, a form POST, and a multipart upload of 5 MiB + 1 KiB. */
export async function uploadEachKind(agent: Agent, gatewayUrl: string, token: string): Promise<void> {
  const text = new TextEncoder().encode("shutdown test\n");
  await uploadThrough(agent, gatewayUrl, token, "notes", text, "text/plain");
  await uploadThrough(agent, gatewayUrl, token, "forms", text, "text/plain");
  const big = new Uint8Array(5 * MiB + 1024).map((_, i) => i % 251);
  await uploadThrough(agent, gatewayUrl, token, "videos", big, "application/octet-stream");
}
