import { type OffloadedHash, offloadHash } from "./hash-worker.js";

/** Bodies at least this large take the pipelined path; smaller ones are hashed and written inline. */
export const PIPELINE_MIN_BYTES = 4 * 1024 * 1024;
/** Bytes handed to the md5 worker per message. */
const BATCH_BYTES = 1024 * 1024;
/** Batches the md5 worker has not finished with (each holds BATCH_BYTES of shared memory). */
const MAX_BATCHES = 4;
/** Bytes read but not yet written. */
const MAX_UNWRITTEN_BYTES = 8 * 1024 * 1024;

/**
 * The write side of a large body. Each piece goes to the sink as it is (one write at a time, in order)
 * while the caller goes on reading, and is copied into a shared 1 MiB batch that an md5 worker thread
 * hashes on another core. The caller waits only when too much is unwritten or unhashed, so memory
 * stays bounded (about 12 MiB per body). Pieces must not change after push().
 */
export class BodyPipeline {
  readonly #sink: (chunk: Uint8Array) => Promise<void>;
  readonly #md5: OffloadedHash = offloadHash("md5");
  /** Batches the worker is done with, for reuse: fresh shared memory is zero-filled and page-faulted. */
  readonly #free: Uint8Array[] = [];
  #batch: Uint8Array | undefined;
  #filled = 0;
  #batchesOut = 0;
  #unwritten = 0;
  #writes: Promise<void> = Promise.resolve();
  readonly #hashing = new Set<Promise<void>>();
  #wake: (() => void) | undefined;
  #error: { cause: unknown } | undefined;

  constructor(sink: (chunk: Uint8Array) => Promise<void>) {
    this.#sink = sink;
  }

  async push(piece: Uint8Array): Promise<void> {
    this.#throwIfFailed();
    this.#unwritten += piece.byteLength;
    this.#writes = this.#writes
      .then(async () => {
        if (!this.#error) await this.#sink(piece);
        this.#unwritten -= piece.byteLength;
        this.#wakeUp();
      })
      .catch((cause: unknown) => this.#fail(cause));
    for (let offset = 0; offset < piece.byteLength; ) {
      while (!this.#batch && this.#batchesOut >= MAX_BATCHES && !this.#error) await this.#sleep();
      this.#throwIfFailed();
      this.#batch ??= this.#free.pop() ?? new Uint8Array(new SharedArrayBuffer(BATCH_BYTES));
      const n = Math.min(piece.byteLength - offset, BATCH_BYTES - this.#filled);
      this.#batch.set(piece.subarray(offset, offset + n), this.#filled);
      this.#filled += n;
      offset += n;
      if (this.#filled === BATCH_BYTES) this.#postBatch();
    }
    while (this.#unwritten > MAX_UNWRITTEN_BYTES && !this.#error) await this.#sleep();
    this.#throwIfFailed();
  }

  /** Waits for every write and hash; resolves with the md5 of everything pushed. */
  async finish(): Promise<Buffer> {
    this.#postBatch();
    await this.#writes;
    await Promise.all(this.#hashing);
    this.#throwIfFailed();
    return this.#md5.digest();
  }

  /** After a failure: waits for pending writes (so the caller may discard the file) and drops the hash. */
  async abandon(): Promise<void> {
    await this.#writes;
    await Promise.all(this.#hashing);
    this.#md5.cancel();
  }

  #postBatch(): void {
    const whole = this.#batch;
    if (!whole || this.#filled === 0) return;
    const bytes = whole.subarray(0, this.#filled);
    this.#batch = undefined;
    this.#filled = 0;
    this.#batchesOut++;
    const hashed: Promise<void> = this.#md5.update(bytes).then(
      () => {
        this.#hashing.delete(hashed);
        this.#batchesOut--;
        this.#free.push(whole);
        this.#wakeUp();
      },
      (cause: unknown) => {
        this.#hashing.delete(hashed);
        this.#fail(cause);
      },
    );
    this.#hashing.add(hashed);
  }

  #sleep(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /** Keeps the first failure (thrown by the next push() or finish()); later writes are skipped. */
  #fail(cause: unknown): void {
    this.#error ??= { cause };
    this.#wakeUp();
  }

  #throwIfFailed(): void {
    if (this.#error) throw this.#error.cause;
  }
}
