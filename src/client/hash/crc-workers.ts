import type { RouteChecksumAlgorithm } from "../../core/protocol.js";
import { toBase64 } from "../../core/sigv4/crypto.js";
import { crcWasmModule } from "../../core/util/crc-wasm.js";
import { CRC32C_TABLE } from "../../core/util/crc32c.js";
import { CRC64NVME_TABLES } from "../../core/util/crc64nvme.js";
import { abortedError } from "../errors.js";
import { crcWorkerSource } from "./crc-worker-source.js";
import { type WorkerConstructor, type WorkerLike, workerConstructor } from "./worker-types.js";

export type CrcAlgorithm = Exclude<RouteChecksumAlgorithm, "sha256">;

/** Thrown when this runtime cannot run the CRC worker (no Worker, or a CSP refusing blob: workers). */
export class WorkersUnavailable extends Error {}

interface Job {
  algorithm: CrcAlgorithm;
  blob: Blob;
  signal: AbortSignal | undefined;
  resolve: (checksum: string) => void;
  reject: (err: unknown) => void;
  onAbort?: () => void;
}

interface Slot {
  worker: WorkerLike;
  job?: Job & { id: number };
}

interface WorkerAnswer {
  id: number;
  bytes?: Uint8Array;
  busy?: number;
  size?: number;
  kernel?: "wasm" | "js";
  error?: { name: string; message: string };
}

/** Workers stop after this long without work (a page that uploads once holds no threads). */
const IDLE_MS = 30_000;

/**
 * Milliseconds the CRC workers spent hashing and the bytes they hashed, since the page loaded, and
 * the kernel (WebAssembly or the JS loops) that ran the last job.
 */
export const crcWorkerStats: { busyMs: number; bytes: number; kernel?: "wasm" | "js" } = {
  busyMs: 0,
  bytes: 0,
};

/**
 * A few Workers computing part CRCs off the main thread, one Blob per worker at a time (each reads
 * its Blob itself: no bytes cross threads). Started on first use from a blob: URL; a job aborted
 * while running ends its worker (a fresh one replaces it on demand).
 */
export class CrcWorkerPool {
  readonly size: number;
  #url: string | undefined;
  #slots: Slot[] = [];
  #queue: Job[] = [];
  #nextId = 1;
  #broken = false;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;

  readonly #Worker: WorkerConstructor;

  constructor(size: number, Worker: WorkerConstructor) {
    this.size = size;
    this.#Worker = Worker;
  }

  /** A pool of `size` workers, or undefined where this runtime has no Worker (Node: hash inline). */
  static create(size: number): CrcWorkerPool | undefined {
    const Worker = workerConstructor();
    return Worker ? new CrcWorkerPool(size, Worker) : undefined;
  }

  get broken(): boolean {
    return this.#broken;
  }

  /** The base64 big-endian CRC of `blob`; rejects with WorkersUnavailable when workers cannot run. */
  run(algorithm: CrcAlgorithm, blob: Blob, signal?: AbortSignal): Promise<string> {
    if (this.#broken) return Promise.reject(new WorkersUnavailable("CRC workers unavailable"));
    if (signal?.aborted) return Promise.reject(abortedError());
    return new Promise<string>((resolve, reject) => {
      const job: Job = { algorithm, blob, signal, resolve, reject };
      if (signal) {
        job.onAbort = () => this.#abort(job);
        signal.addEventListener("abort", job.onAbort, { once: true });
      }
      this.#queue.push(job);
      this.#pump();
    });
  }

  #pump(): void {
    clearTimeout(this.#idleTimer);
    while (this.#queue.length > 0) {
      let slot = this.#slots.find((s) => s.job === undefined);
      if (!slot && this.#slots.length < this.size) slot = this.#spawn();
      if (!slot) return;
      const job = this.#queue.shift()!;
      slot.job = { ...job, id: this.#nextId++ };
      slot.worker.postMessage({
        id: slot.job.id,
        algorithm: job.algorithm,
        blob: job.blob,
      });
    }
    if (this.#slots.every((s) => s.job === undefined)) {
      this.#idleTimer = setTimeout(() => this.#stopAll(), IDLE_MS);
    }
  }

  #spawn(): Slot | undefined {
    let worker: WorkerLike;
    try {
      this.#url ??= URL.createObjectURL(new Blob([crcWorkerSource()], { type: "text/javascript" }));
      worker = new this.#Worker(this.#url);
    } catch {
      this.#fail();
      return undefined;
    }
    const slot: Slot = { worker };
    const tables = { crc32c: CRC32C_TABLE, hi: CRC64NVME_TABLES.hi, lo: CRC64NVME_TABLES.lo };
    // The compiled CRC kernel (undefined where WebAssembly is refused); a runtime that cannot clone
    // a WebAssembly.Module throws here, and the worker runs the JS loops.
    try {
      worker.postMessage({ tables, module: crcWasmModule() });
    } catch {
      worker.postMessage({ tables });
    }
    worker.onmessage = (event) => this.#answer(slot, event.data as WorkerAnswer);
    // A script that cannot load or run (a CSP without blob: in worker-src, say): hash on the main thread.
    worker.onerror = (event) => {
      event.preventDefault?.();
      this.#fail();
    };
    this.#slots.push(slot);
    return slot;
  }

  #answer(slot: Slot, data: WorkerAnswer): void {
    const job = slot.job;
    if (!job || job.id !== data.id) return;
    slot.job = undefined;
    this.#detach(job);
    if (data.error) {
      job.reject(Object.assign(new Error(data.error.message), { name: data.error.name }));
    } else {
      crcWorkerStats.busyMs += data.busy ?? 0;
      crcWorkerStats.bytes += data.size ?? 0;
      crcWorkerStats.kernel = data.kernel;
      job.resolve(toBase64(data.bytes!));
    }
    this.#pump();
  }

  #abort(job: Job): void {
    const queued = this.#queue.indexOf(job);
    if (queued >= 0) this.#queue.splice(queued, 1);
    const slot = this.#slots.find((s) => s.job?.resolve === job.resolve);
    if (slot) {
      slot.worker.terminate();
      this.#slots.splice(this.#slots.indexOf(slot), 1);
    }
    job.reject(abortedError());
    // After the other listeners of the same signal: jobs aborted together must not start meanwhile.
    queueMicrotask(() => this.#pump());
  }

  #detach(job: Job): void {
    if (job.onAbort) job.signal?.removeEventListener("abort", job.onAbort);
  }

  /** Workers cannot run here: every job, queued or running, is handed back for the main thread. */
  #fail(): void {
    this.#broken = true;
    const jobs = [...this.#queue, ...this.#slots.flatMap((s) => (s.job ? [s.job] : []))];
    this.#queue = [];
    this.#stopAll();
    for (const job of jobs) {
      this.#detach(job);
      job.reject(new WorkersUnavailable("CRC workers unavailable"));
    }
  }

  #stopAll(): void {
    clearTimeout(this.#idleTimer);
    for (const slot of this.#slots) slot.worker.terminate();
    this.#slots = [];
  }
}
