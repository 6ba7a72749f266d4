import * as s3 from "../../core/s3/requests.js";
import { childText } from "../../core/s3/xml-read.js";
import { CredentialsError } from "./credentials/errors.js";
import type { CredentialSource } from "./credentials/types.js";
import { malformedResponse } from "./errors.js";
import { presignForm, presignRead, presignWrite } from "./presign.js";
import { readUpTo } from "./read-bytes.js";
import { objectHead, parseListObjects, parseListParts, parseListUploads, REPEATED } from "./responses.js";
import { createS3Transport, type TransportOptions } from "./transport.js";
import type {
  ListedUpload,
  ReadOptions,
  StorageClient,
  StorageConfig,
  StoragePart,
  UrlLifetime,
  UrlWindow,
} from "./types.js";

/**
 * Every read asks for the stored bytes as they are: with response-content-encoding=identity the
 * answer carries no Content-Encoding, so fetch never decodes it (a stored "gzip" or "zstd" cannot
 * change what is sniffed or hashed).
 */
function readOptions(opts: ReadOptions): { ifMatch?: string; responseContentEncoding: string } {
  return {
    ...(opts.ifMatch !== undefined && { ifMatch: opts.ifMatch }),
    responseContentEncoding: "identity",
  };
}

/** URLs signed now with `source`'s credentials expire after `maxSeconds`, or with the credentials if sooner. */
async function urlWindow(source: CredentialSource, maxSeconds: number): Promise<UrlWindow> {
  const credentials = await source.get();
  // A whole second, as X-Amz-Date, so that expiresAt is exactly when storage stops taking the URL:
  // the next one (storage accepts dates minutes ahead), so that no URL lives shorter than asked.
  const date = new Date(Math.ceil(Date.now() / 1000) * 1000);
  const expiration = credentials.expiration;
  const left =
    expiration === undefined
      ? Number.POSITIVE_INFINITY
      : Math.floor((expiration.getTime() - date.getTime()) / 1000);
  if (left < 1) {
    throw new CredentialsError(
      `the storage credentials expire at ${expiration!.toISOString()}: too soon to sign a URL with them`,
    );
  }
  const expiresIn = Math.min(maxSeconds, left);
  return { credentials, date, expiresIn, expiresAt: new Date(date.getTime() + expiresIn * 1000) };
}

/**
 * The gateway's S3 client for any S3-compatible endpoint: presigning is local; everything else is
 * one request signed with our SigV4 signer and sent with fetch.
 */
export function createStorageClient(config: StorageConfig, options: TransportOptions = {}): StorageClient {
  const t = createS3Transport(config, options);
  const bucket = config.bucket;
  const windowOf = (lifetime: UrlLifetime) =>
    typeof lifetime === "number" ? urlWindow(t.credentials, lifetime) : Promise.resolve(lifetime);

  return {
    config,
    credentials: t.credentials,

    urlWindow: (maxSeconds) => urlWindow(t.credentials, maxSeconds),
    presignPut: async (key, headers, expiresIn) =>
      presignWrite(config, key, headers, await windowOf(expiresIn)),
    presignPart: async (key, uploadId, partNumber, headers, expiresIn) =>
      presignWrite(config, key, headers, await windowOf(expiresIn), { partNumber, uploadId }),
    presignGet: async (key, { expiresIn, ...overrides }) =>
      presignRead(config, key, overrides, await windowOf(expiresIn)),
    presignPost: async ({ expiresIn, ...input }) => presignForm(config, input, await windowOf(expiresIn)),

    async head(key) {
      const res = await t.send(s3.headObject(bucket, key), { accept: [404] });
      return res.status === 404 ? undefined : objectHead(res.headers);
    },

    async getRange(key, start, end, opts = {}) {
      // 416: the object has no byte at `start` (it is shorter, or empty).
      const req = s3.getObject(bucket, key, { range: { start, end }, ...readOptions(opts) });
      const res = await t.sendStream(req, { accept: [416] });
      if (res.status === 416) {
        await res.body.cancel();
        return new Uint8Array(0);
      }
      const want = end - start + 1;
      if (res.status === 206) return readUpTo(res.body, want);
      // A 200 means the range was ignored and the whole object is coming: take just the span asked for.
      const head = await readUpTo(res.body, end + 1);
      return head.subarray(Math.min(start, head.length));
    },

    async getStream(key, opts = {}) {
      return (await t.sendStream(s3.getObject(bucket, key, readOptions(opts)))).body;
    },

    async delete(key) {
      await t.send(s3.deleteObject(bucket, key));
    },

    async copy(sourceKey, destinationKey, opts = {}) {
      const headers: Record<string, string> = {};
      if (opts.ifMatch !== undefined) headers["x-amz-copy-source-if-match"] = opts.ifMatch;
      if (opts.replaceHeaders !== undefined) {
        Object.assign(headers, opts.replaceHeaders, { "x-amz-metadata-directive": "REPLACE" });
      }
      const req = s3.copyObject(bucket, sourceKey, destinationKey, { headers });
      const etag = childText(await t.sendXml(req, "CopyObjectResult"), "ETag") ?? "";
      // Ceph RGW 16 answers with the ETag unquoted; HEAD and every other store quote it.
      return { etag: etag === "" || etag.startsWith('"') ? etag : `"${etag}"` };
    },

    async createMultipart(key, headers) {
      const req = s3.createMultipartUpload(bucket, key, headers);
      const doc = await t.sendXml(req, "InitiateMultipartUploadResult");
      const uploadId = childText(doc, "UploadId");
      if (!uploadId) throw malformedResponse(req, 200, "no UploadId");
      return uploadId;
    },

    async listParts(key, uploadId) {
      const all: StoragePart[] = [];
      let marker: number | undefined;
      do {
        const req = s3.listParts(
          bucket,
          key,
          uploadId,
          marker === undefined ? {} : { partNumberMarker: marker },
        );
        const page = parseListParts(await t.sendXml(req, "ListPartsResult", REPEATED));
        all.push(...page.parts);
        if (page.next !== undefined && page.next <= (marker ?? 0)) {
          throw malformedResponse(req, 200, "NextPartNumberMarker does not advance");
        }
        marker = page.next;
      } while (marker !== undefined);
      return all;
    },

    async completeMultipart(key, uploadId, parts, opts = {}) {
      const req = s3.completeMultipartUpload(bucket, key, uploadId, parts, opts);
      // S3 may answer 200 and then report a failure in the body: sendXml turns that into a StorageError.
      const doc = await t.sendXml(req, "CompleteMultipartUploadResult");
      const etag = childText(doc, "ETag");
      if (etag) return { etag };
      // Ceph RGW 16 answers a successful Complete with an empty <ETag></ETag>: the object has one.
      const head = await t.send(s3.headObject(bucket, key), { accept: [404] });
      const stored = head.status === 404 ? undefined : objectHead(head.headers).etag;
      if (!stored) throw malformedResponse(req, 200, "no ETag");
      return { etag: stored };
    },

    async abortMultipart(key, uploadId) {
      await t.send(s3.abortMultipartUpload(bucket, key, uploadId));
    },

    async listObjects(prefix, continuationToken) {
      const req = s3.listObjectsV2(
        bucket,
        continuationToken === undefined ? { prefix } : { prefix, continuationToken },
      );
      return parseListObjects(await t.sendXml(req, "ListBucketResult", REPEATED));
    },

    async listMultipartUploads(prefix) {
      const all: ListedUpload[] = [];
      let markers: { keyMarker: string; uploadIdMarker: string } | undefined;
      for (;;) {
        const req = s3.listMultipartUploads(bucket, { prefix, ...markers });
        const page = parseListUploads(await t.sendXml(req, "ListMultipartUploadsResult", REPEATED));
        all.push(...page.uploads);
        if (!page.next) return all;
        if (
          markers &&
          page.next.keyMarker === markers.keyMarker &&
          page.next.uploadIdMarker === markers.uploadIdMarker
        ) {
          throw malformedResponse(req, 200, "the upload markers do not advance");
        }
        markers = page.next;
      }
    },
  };
}
