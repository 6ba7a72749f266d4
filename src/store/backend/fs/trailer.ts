import type { FileHandle } from "node:fs/promises";

/**
 * Object and part files hold their bytes followed by a record describing them, so bytes and metadata
 * are one file and one rename commits both:
 *
 *   <bytes> <record: UTF-8 JSON> <record length: uint32 BE> <magic "UPG1">
 */
const MAGIC = Buffer.from("UPG1", "latin1");
const FOOTER_SIZE = 8;
const MAX_RECORD_SIZE = 1024 * 1024;

export function encodeTrailer(record: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(record), "utf8");
  if (json.length > MAX_RECORD_SIZE) throw new Error("record too large");
  const footer = Buffer.alloc(FOOTER_SIZE);
  footer.writeUInt32BE(json.length, 0);
  MAGIC.copy(footer, 4);
  return Buffer.concat([json, footer]);
}

/** Reads the record at the end of an open file; `path` only names the file in errors. */
export async function readTrailer(
  handle: FileHandle,
  path: string,
): Promise<{ record: unknown; dataSize: number }> {
  const { size } = await handle.stat();
  const corrupt = (why: string) => new Error(`corrupt store file ${path}: ${why}`);
  if (size < FOOTER_SIZE) throw corrupt("too short");
  const footer = await readExactly(handle, FOOTER_SIZE, size - FOOTER_SIZE);
  if (!footer.subarray(4).equals(MAGIC)) throw corrupt("no record footer");
  const length = footer.readUInt32BE(0);
  if (length > MAX_RECORD_SIZE || length > size - FOOTER_SIZE) throw corrupt("bad record length");
  const dataSize = size - FOOTER_SIZE - length;
  const json = await readExactly(handle, length, dataSize);
  try {
    return { record: JSON.parse(json.toString("utf8")), dataSize };
  } catch {
    throw corrupt("record is not JSON");
  }
}

async function readExactly(handle: FileHandle, length: number, position: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) throw new Error("unexpected end of file");
    done += bytesRead;
  }
  return buffer;
}
