/**
 * A small stand-in for the gateway's HTTP API (issue 4), enough for the client: create (PUT, POST
 * or multipart), parts (fresh URLs, optional per-part checksum, what storage holds), complete (checks
 * the stored size and checksums), delete, and GET /v1/routes when given a checksum algorithm.
 * CRCs are computed with the AWS SDK's implementations, not the client's. It signs with core's presignUrl / createPostPolicy and talks
 * to the real embedded store; the ledger is a Map.
 */
import { createHash, randomUUID } from "node:crypto";
import { AwsCrc32c } from "@aws-crypto/crc32c";
import { Crc64Nvme } from "@aws-sdk/crc64-nvme";
import { planParts } from "../../../../src/core/policy/parts.js";
import { checkFiles, type RoutePolicy } from "../../../../src/core/policy/route.js";
import type {
  CompleteRequest,
  CreateUploadsRequest,
  PartInstruction,
  PartsRequest,
  RouteChecksumAlgorithm,
  UploadInstruction,
  UploadRecord,
} from "../../../../src/core/protocol.js";
import { createPostPolicy } from "../../../../src/core/sigv4/post-policy.js";
import { presignUrl } from "../../../../src/core/sigv4/presign.js";
import type { StoreFixture } from "../../../support/store-fixture.js";
import {
  abortMultipart,
  completeMultipart,
  createMultipart,
  getBytes,
  headSize,
  listStoredParts,
  removeObject,
} from "./s3.js";

export interface FakeGatewayOptions {
  strategy: "put" | "post" | "multipart";
  partSize?: number;
  /** URL lifetime in seconds (default 600). */
  expiresIn?: number;
  /**
   * Sign the first create response's URLs this many seconds ago, so they arrive already expired,
   * while still reporting a future expiresAt (as a gateway whose clock runs behind storage's would).
   */
  createSignedAgo?: number;
  types?: string[];
  maxSize?: number;
  label?: string;
  /** Leave out the parts' SHA-256 in `uploaded`, as a gateway in front of storage that keeps none (Ceph RGW 16). */
  hidePartChecksums?: boolean;
  /**
   * The route's checksum algorithm. When set, instructions carry it and GET /v1/routes lists the
   * route with it; unset, the fake behaves as a gateway from before issue 14 (SHA-256, no route list).
   */
  checksumAlgorithm?: RouteChecksumAlgorithm;
  /** With checksumAlgorithm: what GET /v1/routes claims instead (a stale or wrong list). */
  listedAlgorithm?: RouteChecksumAlgorithm;
}

interface Upload {
  record: UploadRecord;
  method: "PUT" | "POST" | "MULTIPART";
  uploadId?: string;
  sizes: number[];
}

export interface FakeGateway {
  endpoint: string;
  fetch(request: Request): Promise<Response>;
  /** Every API call, in order: "POST /v1/uploads", "POST /v1/uploads/:id/parts", ... */
  calls: Array<{ method: string; path: string; body: unknown }>;
  uploads: Map<string, Upload>;
  /** Answer the next call matching `match` with this error instead (once). */
  failOnce(
    match: (method: string, path: string) => boolean,
    status: number,
    code: string,
    headers?: Record<string, string>,
  ): void;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

const error = (status: number, code: string, message: string, details?: unknown) =>
  json(status, { error: { code, message, ...(details ? { details } : {}) } });

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("base64");

/** The base64 checksum of `bytes` in `algorithm`, from the AWS SDK's implementations. */
export async function checksumOf(algorithm: RouteChecksumAlgorithm, bytes: Uint8Array): Promise<string> {
  if (algorithm === "sha256") return sha256(bytes);
  const h = algorithm === "crc64nvme" ? new Crc64Nvme() : new AwsCrc32c();
  h.update(bytes);
  return Buffer.from(await h.digest()).toString("base64");
}

export function createFakeGateway(store: StoreFixture, options: FakeGatewayOptions): FakeGateway {
  const endpoint = "http://gateway.test";
  const expiresIn = options.expiresIn ?? 600;
  const alg = options.checksumAlgorithm ?? "sha256";
  const announced = options.checksumAlgorithm ? { checksumAlgorithm: options.checksumAlgorithm } : {};
  const route: RoutePolicy = {
    name: "files",
    label: options.label ?? "Files",
    types: options.types ?? ["*/*"],
    maxSize: options.maxSize ?? 5 * 1024 ** 3,
    minSize: 0,
    maxFiles: 10,
    expiresIn,
    checksum: "optional",
    checksumAlgorithm: "sha256",
    strategy: options.strategy,
    multipartThreshold: 0,
    partSize: options.partSize ?? 5 * 1024 * 1024,
    sniff: false,
    public: false,
    keyTemplate: "",
  };
  const uploads = new Map<string, Upload>();
  const declaredCrc = new Map<string, string>();
  let creates = 0;
  const calls: FakeGateway["calls"] = [];
  const faults: Array<{ match: (m: string, p: string) => boolean; response: () => Response }> = [];
  const target = (key: string) => ({
    endpoint: store.url,
    bucket: store.bucket,
    key,
    forcePathStyle: true,
    region: store.region,
    credentials: store.credentials,
  });

  async function signPart(u: Upload, n: number, sha?: string, date?: Date): Promise<PartInstruction> {
    const headers: Record<string, string> = { "content-length": String(u.sizes[n - 1]) };
    if (sha) headers[`x-amz-checksum-${alg}`] = sha;
    const signed = await presignUrl({
      ...target(u.record.key),
      method: "PUT",
      expiresIn,
      headers,
      query: { partNumber: n, uploadId: u.uploadId! },
      ...(date ? { date } : {}),
    });
    return { partNumber: n, size: u.sizes[n - 1]!, url: signed.url, headers: signed.headers };
  }

  async function create(body: CreateUploadsRequest): Promise<Response> {
    for (const file of body.files) {
      for (const other of ["sha256", "crc64nvme", "crc32c"] as const) {
        if (other !== alg && file[other] !== undefined) {
          return error(400, "VALIDATION_FAILED", `this route checksums with ${alg}, not ${other}`);
        }
      }
    }
    // checkFiles knows only sha256: hand it the declaration without the CRC field.
    const declared = new Map(body.files.map((f) => [f, alg === "sha256" ? undefined : f[alg]]));
    const check = checkFiles(
      route,
      body.files.map((f) => {
        const { crc64nvme: _a, crc32c: _b, ...rest } = f;
        return rest;
      }),
    );
    if (check.problems.length > 0) {
      // As the gateway does: one problem's own code and message, every problem in details.
      const [first] = check.problems;
      const message =
        check.problems.length === 1 ? first!.message : check.problems.map((p) => p.message).join("; ");
      const status = first!.code === "POLICY_TOO_LARGE" ? 413 : 400;
      return error(status, first!.code, message, { problems: check.problems });
    }
    const date =
      options.createSignedAgo && creates++ === 0
        ? new Date(Date.now() - options.createSignedAgo * 1000)
        : undefined;
    const out: UploadInstruction[] = [];
    for (const [index, file] of check.files.entries()) {
      const crc = declared.get(body.files[index]!);
      const whole = alg === "sha256" ? file.sha256 : crc;
      const id = randomUUID();
      const key = `files/${id}`;
      const record: UploadRecord = {
        id,
        route: body.route,
        name: file.name,
        key,
        status: "pending",
        size: file.size,
        type: file.type,
        createdAt: new Date().toISOString(),
        ...(file.sha256 ? { sha256: file.sha256 } : {}),
      };
      if (crc) declaredCrc.set(id, crc);
      const base = {
        id,
        key,
        expiresAt: new Date(Date.now() + expiresIn * 1000).toISOString(),
        ...announced,
      };
      if (options.strategy === "put") {
        const headers: Record<string, string> = {
          "content-type": file.type,
          "content-length": String(file.size),
          "if-none-match": "*",
          "x-amz-meta-upgate-upload": id,
        };
        if (whole) headers[`x-amz-checksum-${alg}`] = whole;
        const signed = await presignUrl({
          ...target(key),
          method: "PUT",
          expiresIn,
          headers,
          hoistHeaders: false,
          ...(date ? { date } : {}),
        });
        uploads.set(id, { record, method: "PUT", sizes: [file.size] });
        out.push({ ...base, method: "PUT", url: signed.url, headers: signed.headers });
      } else if (options.strategy === "post") {
        const fields: Record<string, string> = { "Content-Type": file.type };
        if (whole) fields[`x-amz-checksum-${alg}`] = whole;
        const policy = await createPostPolicy({
          endpoint: store.url,
          bucket: store.bucket,
          forcePathStyle: true,
          key,
          region: store.region,
          credentials: store.credentials,
          expiresIn,
          fields,
          conditions: [["content-length-range", file.size, file.size]],
          ...(date ? { date } : {}),
        });
        uploads.set(id, { record, method: "POST", sizes: [file.size] });
        out.push({ ...base, method: "POST", url: policy.url, fields: policy.fields });
      } else {
        const plan = planParts(file.size, route.partSize);
        const uploadId = await createMultipart(store, key, file.type);
        const u: Upload = { record, method: "MULTIPART", uploadId, sizes: plan.sizes };
        uploads.set(id, u);
        const parts = [];
        for (let n = 1; n <= plan.partCount; n++) parts.push(await signPart(u, n, undefined, date));
        out.push({
          ...base,
          method: "MULTIPART",
          uploadId,
          partSize: plan.partSize,
          partCount: plan.partCount,
          parts,
        });
      }
    }
    return json(201, { uploads: out });
  }

  async function parts(u: Upload, body: PartsRequest): Promise<Response> {
    if (u.method !== "MULTIPART") return error(409, "UPLOAD_STATE_CONFLICT", "not a multipart upload");
    if (u.record.status !== "pending")
      return error(409, "UPLOAD_STATE_CONFLICT", `the upload is ${u.record.status}`);
    if (!Array.isArray(body.partNumbers)) {
      return error(400, "VALIDATION_FAILED", "partNumbers must list 0 to 1000 part numbers");
    }
    const signed = [];
    for (const other of ["sha256", "crc64nvme", "crc32c"] as const) {
      if (other !== alg && body[other] !== undefined) {
        return error(400, "VALIDATION_FAILED", `this route checksums with ${alg}, not ${other}`);
      }
    }
    for (const n of body.partNumbers) signed.push(await signPart(u, n, body[alg]?.[String(n)]));
    const listed = await listStoredParts(store, u.record.key, u.uploadId!);
    const uploaded = options.hidePartChecksums
      ? listed.map(({ sha256: _, crc64nvme: _a, crc32c: _b, ...rest }) => rest)
      : listed;
    return json(200, {
      parts: signed,
      uploaded,
      expiresAt: new Date(Date.now() + expiresIn * 1000).toISOString(),
    });
  }

  async function complete(u: Upload, body: CompleteRequest): Promise<Response> {
    if (u.record.status === "verified") return json(200, { upload: u.record });
    if (u.record.status !== "pending")
      return error(409, "UPLOAD_STATE_CONFLICT", `the upload is ${u.record.status}`);
    const { key } = u.record;
    if (u.method === "MULTIPART") {
      const stored = await listStoredParts(store, key, u.uploadId!);
      if (stored.length !== u.sizes.length || stored.some((p) => p.size !== u.sizes[p.partNumber - 1])) {
        return error(409, "UPLOAD_NOT_UPLOADED", "parts are missing");
      }
      await completeMultipart(store, key, u.uploadId!, body.parts ?? []);
    }
    if ((await headSize(store, key)) !== u.record.size) {
      return error(409, "UPLOAD_NOT_UPLOADED", "storage has no object of the declared size");
    }
    const bytes = (await getBytes(store, key))!;
    const partSums = (body.parts ?? []).filter((p) => p[alg] !== undefined);
    let partMismatch = false;
    for (const p of partSums) {
      const start = u.sizes.slice(0, p.partNumber - 1).reduce((a, b) => a + b, 0);
      const part = bytes.subarray(start, start + u.sizes[p.partNumber - 1]!);
      if ((await checksumOf(alg, part)) !== p[alg]) partMismatch = true;
    }
    // A CRC route's whole-object value: the one declared at create, or the one sent with complete.
    const wholeCrc = alg === "sha256" ? undefined : (body[alg] ?? declaredCrc.get(u.record.id));
    const crcMismatch = wholeCrc !== undefined && (await checksumOf(alg, bytes)) !== wholeCrc;
    if ((u.record.sha256 && sha256(bytes) !== u.record.sha256) || partMismatch || crcMismatch) {
      await removeObject(store, key);
      u.record.status = "rejected";
      return error(
        422,
        "VERIFY_CHECKSUM_MISMATCH",
        "the stored object's SHA-256 differs from the declared one",
      );
    }
    u.record = {
      ...u.record,
      status: "verified",
      sha256: sha256(bytes),
      completedAt: new Date().toISOString(),
    };
    return json(200, { upload: u.record });
  }

  async function remove(u: Upload): Promise<Response> {
    if (u.method === "MULTIPART") await abortMultipart(store, u.record.key, u.uploadId!);
    else await removeObject(store, u.record.key);
    u.record.status = "aborted";
    return new Response(null, { status: 204 });
  }

  async function handle(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    const text = request.method === "GET" || request.method === "DELETE" ? "" : await request.text();
    const body = text ? JSON.parse(text) : undefined;
    calls.push({ method: request.method, path: pathname, body });
    const fault = faults.findIndex((f) => f.match(request.method, pathname));
    if (fault !== -1) return faults.splice(fault, 1)[0]!.response();
    if (request.method === "POST" && pathname === "/v1/uploads") return create(body);
    if (request.method === "GET" && pathname === "/v1/routes" && options.checksumAlgorithm) {
      const listed = options.listedAlgorithm ?? options.checksumAlgorithm;
      return json(200, { routes: [{ name: "files", checksum: { mode: "optional", algorithm: listed } }] });
    }
    const m = /^\/v1\/uploads\/([^/]+)(\/parts|\/complete)?$/.exec(pathname);
    const u = m ? uploads.get(decodeURIComponent(m[1]!)) : undefined;
    if (!m) return error(404, "NOT_FOUND", "no such endpoint");
    if (!u) return error(404, "UPLOAD_NOT_FOUND", "no such upload");
    if (request.method === "POST" && m[2] === "/parts") return parts(u, body);
    if (request.method === "POST" && m[2] === "/complete") return complete(u, body ?? {});
    if (request.method === "DELETE" && !m[2]) return remove(u);
    return error(405, "METHOD_NOT_ALLOWED", "no");
  }

  return {
    endpoint,
    calls,
    uploads,
    fetch: handle,
    failOnce(match, status, code, headers = {}) {
      faults.push({
        match,
        response: () => json(status, { error: { code, message: `injected ${code}` } }, headers),
      });
    },
  };
}

/** A fetch that sends gateway URLs to the fake (in process) and everything else to the network. */
export function routedFetch(gateway: {
  endpoint: string;
  fetch(request: Request): Promise<Response>;
}): typeof fetch {
  return (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (url.startsWith(gateway.endpoint)) return gateway.fetch(new Request(input, init));
    return globalThis.fetch(input, init);
  };
}
