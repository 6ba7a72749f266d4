import { type FileHandle, open, unlink } from "node:fs/promises";
import type { Durable } from "./fs-atomic.js";
import { isErrno } from "./fs-atomic.js";
import { encodeTrailer } from "./fs-record.js";

/**
 * A new file in tmp/ that receives bytes, then its record, then is made durable and closed, ready to
 * be renamed into place. Writes land at reserved offsets, so overlapping write() calls keep their order.
 */
export class TempFile {
  #handle: FileHandle | undefined;
  #size = 0;
  #finished = false;

  private constructor(
    readonly path: string,
    handle: FileHandle,
  ) {
    this.#handle = handle;
  }

  static async create(path: string): Promise<TempFile> {
    return new TempFile(path, await open(path, "wx"));
  }

  /** Bytes written so far (the record not included). */
  get size(): number {
    return this.#size;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.#finished || !this.#handle) throw new Error("write to a finished or discarded file");
    const position = this.#size;
    this.#size += chunk.byteLength;
    await writeAll(this.#handle, chunk, position);
  }

  /** Appends the record, syncs (if durable) and closes. After this the file only awaits its rename. */
  async finish(record: unknown, durable: Durable): Promise<void> {
    const handle = this.#handle;
    if (this.#finished || !handle) throw new Error("finish of a finished or discarded file");
    this.#finished = true;
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
