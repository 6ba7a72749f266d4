import { createHash } from "node:crypto";
import { type PresignedRequest, type PresignInput, presignUrl } from "../../../src/core/sigv4/presign.js";
import { type SignedRequest, signRequest } from "../../../src/core/sigv4/sign-request.js";
import type { ObjectStore } from "../../../src/store/index.js";
import type { ObjectStoreOptions } from "../../../src/store/options.js";
import { type StoreFixture, startStore, TEST_BUCKET, TEST_CREDENTIALS } from "../../support/store-fixture.js";
import type { Refusal, World } from "./case.js";
import { codeOf, type RawOutcome, type RawPiece, sendRaw } from "./raw-socket.js";

export const sha256b64 = (data: Uint8Array | string) => createHash("sha256").update(data).digest("base64");
export const sha256hex = (data: Uint8Array | string) => createHash("sha256").update(data).digest("hex");
export const md5b64 = (data: Uint8Array | string) => createHash("md5").update(data).digest("base64");
export const md5hex = (data: Uint8Array | string) => createHash("md5").update(data).digest("hex");

/** A second identity the store knows: signing with it must never pass for the first one. */
export const ALT_CREDENTIALS = {
  accessKeyId: "AKIDUPGATEALT0000002",
  secretAccessKey: "upgate-alt-secret-key/9876543210zyxwvuABCD",
} as const;
export const OTHER_BUCKET = "other-bucket";

/** What a case may change in the world's presigned PUT. */
export interface PresignOverrides {
  key?: string;
  method?: string;
  headers?: Record<string, string | number>;
  query?: Record<string, string | number>;
  date?: Date;
  expiresIn?: number;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export interface SignedInit {
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  date?: Date;
  payloadHash?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  region?: string;
}

/** A multipart upload in progress, made at start: part 1 (1 KiB) and part 2 (1 KiB) uploaded. */
export interface UploadState {
  key: string;
  uploadId: string;
  parts: Array<{ partNumber: number; etag: string; body: Buffer }>;
}

export interface StoreWorld extends World {
  fixture: StoreFixture;
  store: ObjectStore;
  url: string;
  /** host:port, as the Host header carries it. */
  host: string;
  bucket: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** An object every attack may aim at (overwrite, delete, replay). */
  existing: { key: string; body: Buffer; etag: string };
  upload: UploadState;
  /** A second upload of the same key, for replays across upload ids. */
  otherUpload: UploadState;
  /** A fresh key nobody has written. */
  freshKey(prefix?: string): string;
  /** A presigned request as the gateway issues it (type, length, checksum, write-once and owner signed). */
  presign(input?: PresignOverrides): Promise<PresignedRequest>;
  /** A request signed with an Authorization header (real body hash unless payloadHash is given). */
  sign(method: string, path: string, init?: SignedInit): Promise<SignedRequest>;
  /** Sends with fetch and reads the refusal (Content-Length is left to fetch, from the body). */
  send(
    method: string,
    url: string,
    headers: Record<string, string>,
    body?: string | Uint8Array,
  ): Promise<Refusal>;
  /** Bytes exactly as given over a fresh socket. */
  raw(
    pieces: RawPiece[],
    options?: { deadlineMs?: number; halfClose?: boolean; untilClose?: boolean },
  ): Promise<RawOutcome>;
  /** Open connections on the store's server. */
  connections(): Promise<number>;
  /** The path of an object in the world's bucket, encoded. */
  path(key: string, query?: string): string;
  /** Creates a multipart upload with the given parts (for cases that complete or abort it). */
  createUpload(key: string, partBodies: Buffer[]): Promise<UploadState>;
}

export const BODY = Buffer.from("the bytes the gateway signed for: 0123456789abcdef");
export const OTHER_BODY = Buffer.from("the bytes an attacker wants stored instead: 987654");

/** A CompleteMultipartUpload body listing `parts` in the order given. */
export function completeXml(parts: Array<{ partNumber: number; etag: string }>): string {
  return `<CompleteMultipartUpload>${parts
    .map((p) => `<Part><PartNumber>${p.partNumber}</PartNumber><ETag>${p.etag}</ETag></Part>`)
    .join("")}</CompleteMultipartUpload>`;
}

export async function refusalOf(res: Response): Promise<Refusal> {
  const text = await res.text();
  return { status: res.status, code: codeOf(text) };
}

/** Drops Content-Length: fetch sets it from the body (and refuses to be told). */
function sendable(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() !== "content-length") out[k] = v;
  return out;
}

async function canonicalState(store: ObjectStore): Promise<string> {
  const backend = store.state.backend;
  const out: unknown[] = [];
  for (const bucket of await backend.listBuckets()) {
    const info = await backend.getBucket(bucket.name);
    const objects: unknown[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await backend.listObjects(bucket.name, { limit: 1000, ...(after ? { after } : {}) });
      for (const o of page.objects) {
        objects.push([
          o.key,
          o.size,
          o.etag,
          o.contentType,
          o.lastModified.toISOString(),
          o.metadata,
          o.headers,
          o.checksums,
        ]);
      }
      if (!page.truncated || page.objects.length === 0) break;
      after = page.objects.at(-1)!.key;
    }
    const uploads: unknown[] = [];
    for (const upload of await backend.listMultipartUploads(bucket.name)) {
      const parts = await backend.listParts(upload);
      uploads.push([
        upload.key,
        upload.uploadId,
        parts.map((p) => [p.partNumber, p.size, p.etag, p.lastModified.toISOString()]),
      ]);
    }
    out.push({ bucket: bucket.name, cors: info?.cors ?? null, objects, uploads });
  }
  return JSON.stringify(out, null, 1);
}

export interface StoreWorldOptions {
  backend?: "memory" | "fs";
  options?: Partial<ObjectStoreOptions>;
}

/** Opens a store world: a store on 127.0.0.1:0 with two buckets, one object and two uploads in progress. */
export function openStoreWorld(
  config: StoreWorldOptions = {},
): () => Promise<StoreWorld & { close(): Promise<void> }> {
  return async () => {
    const fixture = await startStore({
      backend: config.backend ?? "memory",
      options: {
        buckets: [TEST_BUCKET, OTHER_BUCKET],
        ...config.options,
        credentials: [{ ...TEST_CREDENTIALS }, { ...ALT_CREDENTIALS }],
      },
    });
    const { url, bucket, region, credentials } = fixture;
    const host = new URL(url).host;
    let counter = 0;
    const path = (key: string, query?: string) =>
      `/${bucket}/${key.split("/").map(encodeURIComponent).join("/")}${query ? `?${query}` : ""}`;

    const sign = (method: string, p: string, init: SignedInit = {}) =>
      signRequest({
        method,
        url: `${url}${p}`,
        headers: init.headers ?? {},
        body: init.body ?? "",
        ...(init.payloadHash ? { payloadHash: init.payloadHash } : {}),
        ...(init.date ? { date: init.date } : {}),
        region: init.region ?? region,
        credentials: init.credentials ?? credentials,
      });

    const send = async (
      method: string,
      target: string,
      headers: Record<string, string>,
      body?: string | Uint8Array,
    ): Promise<Refusal> => {
      const res = await fetch(target.startsWith("http") ? target : `${url}${target}`, {
        method,
        headers: sendable(headers),
        ...(body !== undefined ? { body } : {}),
      });
      return refusalOf(res);
    };

    const legit = async (method: string, p: string, init: SignedInit = {}) => {
      const signed = await sign(method, p, init);
      const res = await fetch(`${url}${p}`, {
        method,
        headers: sendable(signed.headers),
        ...(init.body !== undefined ? { body: init.body } : {}),
      });
      const text = await res.text();
      if (res.status !== 200 && res.status !== 204)
        throw new Error(`setup ${method} ${p} failed: ${res.status} ${text}`);
      return { res, text };
    };

    const createUpload = async (key: string, partBodies: Buffer[]): Promise<UploadState> => {
      const { text } = await legit("POST", path(key, "uploads="));
      const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(text)![1]!;
      const parts: UploadState["parts"] = [];
      for (const [i, body] of partBodies.entries()) {
        const { res } = await legit(
          "PUT",
          path(key, `partNumber=${i + 1}&uploadId=${encodeURIComponent(uploadId)}`),
          { body },
        );
        parts.push({ partNumber: i + 1, etag: res.headers.get("etag")!, body });
      }
      return { key, uploadId, parts };
    };

    const existingKey = "uploads/user-1/existing.txt";
    const existingBody = Buffer.from("the object already stored, which no attack may replace");
    const { res: putRes } = await legit("PUT", path(existingKey), { body: existingBody });
    const part = (fill: string) => Buffer.alloc(1024, fill);
    const upload = await createUpload("uploads/user-1/multipart.bin", [part("a"), part("b")]);
    const otherUpload = await createUpload("uploads/user-1/multipart.bin", [part("c")]);

    const world: StoreWorld & { close(): Promise<void> } = {
      fixture,
      store: fixture.store,
      url,
      host,
      bucket,
      region,
      credentials,
      existing: { key: existingKey, body: existingBody, etag: putRes.headers.get("etag")! },
      upload,
      otherUpload,
      freshKey: (prefix = "uploads/user-1/new") => `${prefix}-${++counter}.txt`,
      presign: (input: PresignOverrides = {}) =>
        presignUrl({
          endpoint: url,
          bucket,
          key: input.key ?? world.freshKey(),
          forcePathStyle: true,
          method: "PUT",
          region,
          credentials,
          expiresIn: 300,
          ...input,
          headers: input.headers ?? {
            "content-type": "text/plain",
            "content-length": BODY.length,
            "x-amz-checksum-sha256": sha256b64(BODY),
            "if-none-match": "*",
            "x-amz-meta-upgate-user": "user-1",
          },
        } as PresignInput),
      sign,
      send,
      raw: (pieces, options) => sendRaw(url, pieces, options),
      connections: () =>
        new Promise((resolve, reject) =>
          fixture.store.server.getConnections((err, n) => (err ? reject(err) : resolve(n))),
        ),
      path,
      createUpload,
      snapshot: () => canonicalState(fixture.store),
      close: () => fixture.close(),
    };
    return world;
  };
}
