import { access, copyFile, link, open } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import type { ByteRange } from "../types.js";
import type { Durable } from "./atomic.js";
import { isErrno } from "./atomic.js";
import { partFileName } from "./layout.js";
import type { BlobRef } from "./records.js";

/** How much of an object file or part a GET reads at a time. */
export const READ_CHUNK = 512 * 1024;

/** Filesystems without hard links (FAT, some network mounts) answer one of these; the part is copied. */
const NO_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "EXDEV", "EMLINK", "ENOSYS"]);

/**
 * Gives `target` the bytes of the committed, never-modified file `source`: a hard link, which copies
 * nothing, or a durable copy where links are not supported. The caller syncs the target's directory.
 */
export async function linkOrCopy(source: string, target: string, durable: Durable): Promise<void> {
  try {
    await link(source, target);
    return;
  } catch (error) {
    if (!NO_LINKS.has((error as NodeJS.ErrnoException).code ?? "")) throw error;
  }
  await copyFile(source, target);
  const handle = await open(target, "r");
  try {
    await durable.syncFile(handle);
  } finally {
    await handle.close();
  }
}

/**
 * Keeps a replaced or deleted multipart object's blob until the reads that opened it finish. The
 * object file's rename is the commit point; its old blob is removed after it, now or when the last
 * reader lets go (a crash in between leaves an unreferenced blob, which init removes).
 */
export class BlobPins {
  readonly #readers = new Map<string, number>();
  /** Released while read: removed by the last reader. */
  readonly #doomed = new Map<string, string>();
  readonly #removing = new Set<string>();

  constructor(readonly remove: (path: string) => Promise<unknown>) {}

  /** False when the blob is being removed: its object was replaced, so read the key again. */
  pin(id: string): boolean {
    if (this.#removing.has(id)) return false;
    this.#readers.set(id, (this.#readers.get(id) ?? 0) + 1);
    return true;
  }

  unpin(id: string): void {
    const left = (this.#readers.get(id) ?? 1) - 1;
    if (left > 0) {
      this.#readers.set(id, left);
      return;
    }
    this.#readers.delete(id);
    const path = this.#doomed.get(id);
    if (path === undefined) return;
    this.#doomed.delete(id);
    // Nobody waits for this removal; one that fails leaves an unreferenced blob for the next init.
    this.#removeNow(id, path).catch(() => {});
  }

  /** The blob's object is gone from the key (its replacement is durable): remove it once unread. */
  async release(id: string, path: string): Promise<void> {
    if (this.#readers.has(id)) {
      this.#doomed.set(id, path);
      return;
    }
    await this.#removeNow(id, path);
  }

  async #removeNow(id: string, path: string): Promise<void> {
    this.#removing.add(id);
    try {
      await this.remove(path);
    } finally {
      this.#removing.delete(id);
    }
  }
}

/**
 * The bytes `span` of a blob's parts, read part by part. Pins the blob for as long as the stream
 * lives; "replaced" when the blob went away before it could be pinned.
 */
export async function openBlob(
  pins: BlobPins,
  dir: string,
  blob: BlobRef,
  span: ByteRange,
): Promise<Readable | "replaced"> {
  if (!pins.pin(blob.id)) return "replaced";
  try {
    // Pinned and present now, so it stays until unpinned; absent means removed before the pin.
    await access(dir);
  } catch (error) {
    pins.unpin(blob.id);
    if (isErrno(error, "ENOENT")) return "replaced";
    throw error;
  }
  const body = Readable.from(readParts(dir, blob.partSizes, span), {
    objectMode: false,
    highWaterMark: READ_CHUNK,
  });
  body.once("close", () => pins.unpin(blob.id));
  return body;
}

async function* readParts(dir: string, sizes: number[], span: ByteRange): AsyncGenerator<Buffer> {
  let partStart = 0;
  for (const [index, size] of sizes.entries()) {
    const partEnd = partStart + size - 1;
    if (size > 0 && partEnd >= span.start && partStart <= span.end) {
      const path = join(dir, partFileName(index));
      const handle = await open(path, "r");
      try {
        let position = Math.max(span.start, partStart) - partStart;
        const last = Math.min(span.end, partEnd) - partStart;
        while (position <= last) {
          const length = Math.min(READ_CHUNK, last - position + 1);
          const { bytesRead, buffer } = await handle.read(Buffer.allocUnsafe(length), 0, length, position);
          if (bytesRead === 0) throw new Error(`store file ${path} ended early`);
          position += bytesRead;
          yield buffer.subarray(0, bytesRead);
        }
      } finally {
        await handle.close();
      }
    }
    partStart += size;
    if (partStart > span.end) return;
  }
}
