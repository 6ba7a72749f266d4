import { BLOB_ID } from "./fs-layout.js";
import type {
  BucketInfo,
  CorsRule,
  MultipartUpload,
  ObjectAttributes,
  ObjectMeta,
  PartInfo,
} from "./types.js";

/**
 * What an object file's record holds: its metadata, the multipart upload it completed, if any, and
 * for a multipart object the blob holding its parts (the file itself then holds no bytes).
 */
export interface ObjectRecord {
  meta: ObjectMeta;
  completedUpload?: string;
  blob?: BlobRef;
}

/** A blob directory's id and the sizes of its part files, in order. */
export interface BlobRef {
  id: string;
  partSizes: number[];
}

type Json = Record<string, unknown>;

class RecordReader {
  constructor(
    readonly raw: unknown,
    readonly path: string,
  ) {
    if (typeof raw !== "object" || raw === null) throw this.corrupt("not an object");
  }

  corrupt(why: string): Error {
    return new Error(`corrupt store file ${this.path}: ${why}`);
  }

  get fields(): Json {
    return this.raw as Json;
  }

  string(name: string): string {
    const value = this.fields[name];
    if (typeof value !== "string") throw this.corrupt(`${name} is not a string`);
    return value;
  }

  number(name: string): number {
    const value = this.fields[name];
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0)
      throw this.corrupt(`bad ${name}`);
    return value;
  }

  date(name: string): Date {
    const date = new Date(this.string(name));
    if (Number.isNaN(date.getTime())) throw this.corrupt(`${name} is not a date`);
    return date;
  }

  strings(name: string): Record<string, string> {
    const value = this.fields[name];
    if (
      typeof value !== "object" ||
      value === null ||
      Object.values(value).some((v) => typeof v !== "string")
    ) {
      throw this.corrupt(`${name} is not a map of strings`);
    }
    return { ...(value as Record<string, string>) };
  }
}

function attributesJson(attributes: ObjectAttributes): Json {
  const json: Json = {
    etag: attributes.etag,
    contentType: attributes.contentType,
    metadata: attributes.metadata,
    checksums: attributes.checksums,
    headers: attributes.headers,
  };
  if (attributes.partsCount !== undefined) json.partsCount = attributes.partsCount;
  if (attributes.checksumAlgorithm !== undefined) json.checksumAlgorithm = attributes.checksumAlgorithm;
  if (attributes.checksumType !== undefined) json.checksumType = attributes.checksumType;
  return json;
}

function readAttributes(reader: RecordReader): ObjectAttributes {
  const attributes: ObjectAttributes = {
    etag: reader.string("etag"),
    contentType: reader.string("contentType"),
    metadata: reader.strings("metadata"),
    checksums: reader.strings("checksums"),
    headers: reader.strings("headers"),
  };
  if (reader.fields.partsCount !== undefined) attributes.partsCount = reader.number("partsCount");
  // Absent from records written before checksum types were kept.
  if (reader.fields.checksumAlgorithm !== undefined)
    attributes.checksumAlgorithm = reader.string("checksumAlgorithm");
  if (reader.fields.checksumType !== undefined) {
    const type = reader.string("checksumType");
    if (type !== "COMPOSITE" && type !== "FULL_OBJECT") throw reader.corrupt("bad checksumType");
    attributes.checksumType = type;
  }
  return attributes;
}

export function objectRecordJson({ meta, completedUpload, blob }: ObjectRecord): Json {
  const json: Json = {
    key: meta.key,
    size: meta.size,
    lastModified: meta.lastModified.toISOString(),
    ...attributesJson(meta),
  };
  if (completedUpload !== undefined) json.completedUpload = completedUpload;
  if (blob !== undefined) json.blob = { id: blob.id, partSizes: blob.partSizes };
  if (meta.partChecksums !== undefined) json.partChecksums = meta.partChecksums;
  return json;
}

/** `dataSize` is the number of bytes before the record, which must be the size the record states. */
export function parseObjectRecord(raw: unknown, dataSize: number, path: string): ObjectRecord {
  const reader = new RecordReader(raw, path);
  const meta: ObjectMeta = {
    key: reader.string("key"),
    size: reader.number("size"),
    lastModified: reader.date("lastModified"),
    ...readAttributes(reader),
  };
  const record: ObjectRecord = { meta };
  if (reader.fields.completedUpload !== undefined) {
    record.completedUpload = reader.string("completedUpload");
    meta.completedUpload = record.completedUpload;
  }
  if (reader.fields.blob !== undefined) {
    record.blob = readBlobRef(new RecordReader(reader.fields.blob, path));
    meta.partSizes = [...record.blob.partSizes];
    if (reader.fields.partChecksums !== undefined)
      meta.partChecksums = readPartChecksums(reader, meta.partSizes.length);
    const total = record.blob.partSizes.reduce((sum, size) => sum + size, 0);
    if (dataSize !== 0 || total !== meta.size)
      throw reader.corrupt(
        `its blob holds ${total} bytes and the file ${dataSize}, its record says ${meta.size}`,
      );
  } else if (meta.size !== dataSize) {
    throw reader.corrupt(`holds ${dataSize} bytes, its record says ${meta.size}`);
  }
  return record;
}

function readPartChecksums(reader: RecordReader, parts: number): Record<string, string>[] {
  const value = reader.fields.partChecksums;
  if (!Array.isArray(value) || value.length !== parts) throw reader.corrupt("bad partChecksums");
  return value.map((entry: unknown) => new RecordReader({ entry }, reader.path).strings("entry"));
}

function readBlobRef(reader: RecordReader): BlobRef {
  const id = reader.string("id");
  const partSizes = reader.fields.partSizes;
  if (
    !BLOB_ID.test(id) ||
    !Array.isArray(partSizes) ||
    partSizes.length === 0 ||
    !partSizes.every((size) => Number.isSafeInteger(size) && size >= 0)
  ) {
    throw reader.corrupt("bad blob reference");
  }
  return { id, partSizes: partSizes as number[] };
}

export function partRecordJson(part: PartInfo): Json {
  return { ...part, lastModified: part.lastModified.toISOString() };
}

export function parsePartRecord(raw: unknown, dataSize: number, path: string): PartInfo {
  const reader = new RecordReader(raw, path);
  const part: PartInfo = {
    partNumber: reader.number("partNumber"),
    size: reader.number("size"),
    etag: reader.string("etag"),
    lastModified: reader.date("lastModified"),
    checksums: reader.strings("checksums"),
  };
  if (part.size !== dataSize) throw reader.corrupt(`holds ${dataSize} bytes, its record says ${part.size}`);
  return part;
}

export function encodeUpload(upload: MultipartUpload): Buffer {
  const json = {
    ...upload,
    initiated: upload.initiated.toISOString(),
    attributes: attributesJson(upload.attributes),
  };
  return Buffer.from(JSON.stringify(json), "utf8");
}

export function parseUpload(raw: unknown, path: string): MultipartUpload {
  const reader = new RecordReader(raw, path);
  return {
    uploadId: reader.string("uploadId"),
    bucket: reader.string("bucket"),
    key: reader.string("key"),
    initiated: reader.date("initiated"),
    attributes: readAttributes(new RecordReader(reader.fields.attributes, path)),
  };
}

export function encodeBucket(info: BucketInfo): Buffer {
  return Buffer.from(JSON.stringify({ ...info, createdAt: info.createdAt.toISOString() }), "utf8");
}

export function parseBucket(raw: unknown, path: string): BucketInfo {
  const reader = new RecordReader(raw, path);
  const info: BucketInfo = { name: reader.string("name"), createdAt: reader.date("createdAt") };
  const cors = reader.fields.cors;
  if (cors !== undefined) {
    if (!Array.isArray(cors)) throw reader.corrupt("cors is not a list");
    info.cors = cors as CorsRule[];
  }
  return info;
}
