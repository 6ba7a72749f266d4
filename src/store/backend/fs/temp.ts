import { type FileHandle, open, unlink } from "node:fs/promises";
import type { Durable } from "./atomic.js";
import { isErrno } from "./atomic.js";
import { encodeTrailer } from "./trailer.js";

/**
 * With fsync on, a datasync is started in the background each time this many more bytes have been
 * written: the disk works while the body is still arriving, so the fsync at finish() has little left
 * to flush instead of a whole large object.
 */
const EARLY_SYNC_BYTES = 32 * 1024 * 1024;

/**
 * A new file in tmp/ that receives bytes, then its record, then is made durable and closed, ready to
 * be renamed into place. Writes land at reserved offsets, so overlapping write() calls keep their order.
 */
export class TempFile {
  #handle: FileHandle | undefined;
  #size = 0;
  #finished = false;
  #unsynced = 0;
  /** The background datasync in progress, if any; it never rejects (see #syncError). */
  #syncing: Promise<void> | undefined;
  /** A failed background datasync: the file is not durable, and finish() must say so. */
  #syncError: { cause: unknown } | undefined;

  private constructor(
    readonly path: string,
    handle: FileHandle,
    readonly durable: Durable | undefined,
  ) {
    this.#handle = handle;
  }

  /** `durable`, when given, lets large files start flushing to disk before finish(). */
  static async create(path: string, durable?: Durable): Promise<TempFile> {
    return new TempFile(path, await open(path, "wx"), durable);
  }

  /** Bytes written so far (the record not included). */
  get size(): number {
    return this.#size;
  }

  async write(chunk: Uint8Array): Promise<void> {
    const handle = this.#handle;
    if (this.#finished || !handle) throw new Error("write to a finished or discarded file");
    const position = this.#size;
    this.#size += chunk.byteLength;
    await writeAll(handle, chunk, position);
    this.#unsynced += chunk.byteLength;
    if (this.durable?.enabled && this.#unsynced >= EARLY_SYNC_BYTES && !this.#syncing) {
      this.#unsynced = 0;
      this.#syncing = handle.datasync().then(
        () => {
          this.#syncing = undefined;
        },
        (cause: unknown) => {
          this.#syncing = undefined;
          this.#syncError ??= { cause };
        },
      );
    }
  }

  /** Appends the record, syncs (if durable) and closes. After this the file only awaits its rename. */
  async finish(record: unknown, durable: Durable): Promise<void> {
    const handle = this.#handle;
    if (this.#finished || !handle) throw new Error("finish of a finished or discarded file");
    this.#finished = true;
    await this.#syncing;
    // An error reported by one fsync may not be reported again by the next: never lose it.
    if (this.#syncError) throw this.#syncError.cause;
    await writeAll(handle, encodeTrailer(record), this.#size);
    await durable.syncFile(handle);
    this.#handle = undefined;
    await handle.close();
  }

  /** Closes and deletes the file; safe to call at any time, and more than once. */
  async discard(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    this.#finished = true;
    try {
      await this.#syncing;
      await handle?.close();
    } finally {
      await unlink(this.path).catch((error: unknown) => {
        if (!isErrno(error, "ENOENT")) throw error;
      });
    }
  }
}

async function writeAll(handle: FileHandle, chunk: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < chunk.byteLength) {
    const { bytesWritten } = await handle.write(chunk, done, chunk.byteLength - done, position + done);
    if (bytesWritten === 0) throw new Error("the filesystem accepted no bytes");
    done += bytesWritten;
  }
}
