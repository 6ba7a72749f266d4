import type { XmlNode } from "../../core/s3/xml.js";
import type { MultipartUpload, PartInfo } from "../backend/types.js";
import { uploadChecksumElements } from "../checksums/upload-checksum.js";
import type { RequestContext } from "../context.js";
import { S3Error } from "../errors.js";
import { sendXml } from "../respond.js";
import { requireBucket } from "./common.js";
import { ownerOf } from "./owner.js";
import { backendRefusal, requireUpload } from "./upload-lookup.js";

const PAGE_LIMIT = 1000;

/** S3's response element for each checksum algorithm. */
const CHECKSUM_ELEMENTS: Record<string, string> = {
  crc32: "ChecksumCRC32",
  crc32c: "ChecksumCRC32C",
  crc64nvme: "ChecksumCRC64NVME",
  sha1: "ChecksumSHA1",
  sha256: "ChecksumSHA256",
};

/** A non-negative integer query parameter, or S3's InvalidArgument. */
function integerParam(ctx: RequestContext, name: string, fallback: number): number {
  const text = ctx.query.get(name);
  if (text === undefined) return fallback;
  if (!/^\d{1,10}$/.test(text) || Number(text) > 2_147_483_647) {
    throw new S3Error("InvalidArgument", `Provided ${name} not an integer or within integer range`, [
      ["ArgumentName", name],
      ["ArgumentValue", text],
    ]);
  }
  return Number(text);
}

function partNode(part: PartInfo): XmlNode {
  const node: XmlNode = {
    PartNumber: part.partNumber,
    LastModified: part.lastModified,
    ETag: part.etag,
    Size: part.size,
  };
  for (const [alg, value] of Object.entries(part.checksums)) {
    const element = CHECKSUM_ELEMENTS[alg];
    if (element) node[element] = value;
  }
  return node;
}

/** GET /bucket/key?uploadId=U[&max-parts][&part-number-marker]: one page of the upload's parts. */
export async function listParts(ctx: RequestContext): Promise<void> {
  const upload = await requireUpload(ctx);
  const maxParts = Math.min(integerParam(ctx, "max-parts", PAGE_LIMIT), PAGE_LIMIT);
  const marker = integerParam(ctx, "part-number-marker", 0);
  const parts = await ctx.state.backend
    .listParts(upload)
    .catch((err) => backendRefusal(err, upload.uploadId));
  const after = parts.filter((p) => p.partNumber > marker).sort((a, b) => a.partNumber - b.partNumber);
  const page = after.slice(0, maxParts);
  const owner = ownerOf(ctx);
  sendXml(ctx, 200, "ListPartsResult", {
    Bucket: upload.bucket,
    Key: upload.key,
    UploadId: upload.uploadId,
    PartNumberMarker: marker,
    NextPartNumberMarker: page.at(-1)?.partNumber ?? marker,
    MaxParts: maxParts,
    IsTruncated: after.length > page.length,
    Part: page.map(partNode),
    Initiator: owner,
    Owner: owner,
    StorageClass: "STANDARD",
    ...uploadChecksumElements(upload.attributes),
  });
}

type Entry = { upload: MultipartUpload } | { prefix: string };

/** Uploads after the key-marker / upload-id-marker position (uploads are ordered by key, then initiation). */
function afterMarkers(
  uploads: MultipartUpload[],
  keyMarker: string,
  uploadIdMarker: string,
): MultipartUpload[] {
  if (keyMarker === "") return uploads;
  const sameKey = uploads.filter((u) => u.key === keyMarker);
  const at =
    uploadIdMarker === "" ? sameKey.length : sameKey.findIndex((u) => u.uploadId === uploadIdMarker) + 1;
  const keep = new Set(sameKey.slice(at === 0 ? sameKey.length : at));
  return uploads.filter((u) =>
    u.key === keyMarker ? keep.has(u) : Buffer.compare(Buffer.from(u.key), Buffer.from(keyMarker)) > 0,
  );
}

/** GET /bucket?uploads[&prefix][&delimiter][&key-marker][&upload-id-marker][&max-uploads]. */
export async function listMultipartUploads(ctx: RequestContext): Promise<void> {
  const bucket = await requireBucket(ctx);
  const prefix = ctx.query.get("prefix") ?? "";
  const delimiter = ctx.query.get("delimiter") ?? "";
  const keyMarker = ctx.query.get("key-marker") ?? "";
  const uploadIdMarker = keyMarker === "" ? "" : (ctx.query.get("upload-id-marker") ?? "");
  const maxUploads = Math.min(integerParam(ctx, "max-uploads", PAGE_LIMIT), PAGE_LIMIT);
  const all = (await ctx.state.backend.listMultipartUploads(bucket.name)).filter((u) =>
    u.key.startsWith(prefix),
  );
  // A key-marker that is a common prefix (ends with the delimiter) has already listed everything under it.
  const skipRolledUp = delimiter !== "" && keyMarker.startsWith(prefix) && keyMarker.endsWith(delimiter);
  const candidates = afterMarkers(all, keyMarker, uploadIdMarker).filter(
    (u) => !(skipRolledUp && u.key.startsWith(keyMarker) && u.key !== keyMarker),
  );

  const entries: Entry[] = [];
  let truncated = false;
  let lastPrefix: string | undefined;
  for (const upload of candidates) {
    const rest = upload.key.slice(prefix.length);
    const cut = delimiter === "" ? -1 : rest.indexOf(delimiter);
    const common = cut === -1 ? undefined : prefix + rest.slice(0, cut + delimiter.length);
    if (common !== undefined && common === lastPrefix) continue;
    if (entries.length >= maxUploads) {
      truncated = true;
      break;
    }
    if (common !== undefined) {
      lastPrefix = common;
      entries.push({ prefix: common });
    } else entries.push({ upload });
  }

  const owner = ownerOf(ctx);
  const last = entries.at(-1);
  const body: XmlNode = {
    Bucket: bucket.name,
    KeyMarker: keyMarker,
    UploadIdMarker: uploadIdMarker,
  };
  if (truncated && last) {
    body.NextKeyMarker = "upload" in last ? last.upload.key : last.prefix;
    body.NextUploadIdMarker = "upload" in last ? last.upload.uploadId : "";
  }
  if (delimiter !== "") body.Delimiter = delimiter;
  body.Prefix = prefix;
  body.MaxUploads = maxUploads;
  body.IsTruncated = truncated;
  body.Upload = entries.flatMap((e) =>
    "upload" in e
      ? [
          {
            Key: e.upload.key,
            UploadId: e.upload.uploadId,
            Initiator: owner,
            Owner: owner,
            StorageClass: "STANDARD",
            Initiated: e.upload.initiated,
          },
        ]
      : [],
  );
  body.CommonPrefixes = entries.flatMap((e) => ("prefix" in e ? [{ Prefix: e.prefix }] : []));
  sendXml(ctx, 200, "ListMultipartUploadsResult", body);
}
