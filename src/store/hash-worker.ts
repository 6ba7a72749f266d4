import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

/**
 * node:crypto hashing on worker threads, so the bytes of a large body are hashed on another core while
 * the event loop keeps reading the socket and writing the file. Bytes are shared, not copied: update()
 * takes a view of a SharedArrayBuffer, which must stay unchanged until its promise resolves.
 * Workers are started on first use and shared by all requests. A worker keeps the process alive only
 * while a reply is awaited, so a server that has closed its sockets can exit.
 */
export interface OffloadedHash {
  /** Hashes these bytes after any given before; resolves once the worker is done with them. */
  update(bytes: Uint8Array): Promise<void>;
  /** The digest, once every update() has been hashed. */
  digest(): Promise<Buffer>;
  /** Forgets the job (after a failed request); pending promises settle or are dropped. */
  cancel(): void;
}

/** The worker's whole program; plain CommonJS, so it runs from sources, bundles and dist alike. */
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const jobs = new Map();
parentPort.on("message", (m) => {
  if (m.op === "start") {
    jobs.set(m.id, createHash(m.algorithm));
    return;
  }
  const hash = jobs.get(m.id);
  if (m.op === "cancel" || !hash) {
    jobs.delete(m.id);
    return;
  }
  if (m.op === "update") {
    hash.update(new Uint8Array(m.buffer, m.offset, m.length));
    parentPort.postMessage({ id: m.id, seq: m.seq });
  } else if (m.op === "digest") {
    jobs.delete(m.id);
    // Copied, not transferred: a small Buffer may be a slice of node's shared allocation pool.
    parentPort.postMessage({ id: m.id, seq: m.seq, digest: new Uint8Array(hash.digest()) });
  }
});
`;

interface Reply {
  id: number;
  seq: number;
  digest?: Uint8Array;
}

interface Pending {
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

class HashThread {
  readonly #worker: Worker;
  /** Outstanding requests by job id, then by sequence number. */
  readonly #pending = new Map<number, Map<number, Pending>>();
  /** Replies awaited across all jobs: the worker is ref'd while this is above zero. */
  #awaiting = 0;
  #failed: Error | undefined;
  load = 0;

  constructor(onExit: (thread: HashThread) => void) {
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [] });
    this.#worker.on("message", (reply: Reply) => {
      const job = this.#pending.get(reply.id);
      const waiter = job?.get(reply.seq);
      if (!waiter) return;
      job!.delete(reply.seq);
      this.#settled(1);
      waiter.resolve(reply);
    });
    const fail = (error: Error) => {
      this.#failed = error;
      for (const job of this.#pending.values()) for (const waiter of job.values()) waiter.reject(error);
      this.#pending.clear();
      this.#awaiting = 0;
      onExit(this);
    };
    this.#worker.on("error", fail);
    this.#worker.on("exit", (code) => fail(new Error(`hash worker exited with code ${code}`)));
    // After the listeners: adding a "message" listener to a Worker refs it again, and an idle worker
    // ref'd kept `upgate store` alive after a large upload until a second signal.
    this.#worker.unref();
  }

  post(message: Record<string, unknown>): void {
    if (this.#failed) throw this.#failed;
    this.#worker.postMessage(message);
  }

  /** Posts and resolves with the worker's reply to (id, seq). */
  request(message: { id: number; seq: number } & Record<string, unknown>): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      if (this.#failed) return reject(this.#failed);
      const job = this.#pending.get(message.id) ?? new Map<number, Pending>();
      this.#pending.set(message.id, job);
      job.set(message.seq, { resolve, reject });
      if (this.#awaiting++ === 0) this.#worker.ref();
      this.#worker.postMessage(message);
    });
  }

  forget(id: number): void {
    const job = this.#pending.get(id);
    this.#pending.delete(id);
    if (job) this.#settled(job.size);
  }

  #settled(count: number): void {
    if (count === 0) return;
    this.#awaiting -= count;
    if (this.#awaiting === 0 && !this.#failed) this.#worker.unref();
  }
}

const POOL_SIZE = Math.max(1, Math.min(2, availableParallelism() - 1));
const pool: HashThread[] = [];
let nextJob = 1;

function leastLoaded(): HashThread {
  if (pool.length < POOL_SIZE) {
    const thread = new HashThread((dead) => {
      const index = pool.indexOf(dead);
      if (index >= 0) pool.splice(index, 1);
    });
    pool.push(thread);
    return thread;
  }
  return pool.reduce((a, b) => (b.load < a.load ? b : a));
}

/** A node:crypto hash (md5, sha256, ...) computed on a worker thread. */
export function offloadHash(algorithm: string): OffloadedHash {
  const thread = leastLoaded();
  const id = nextJob++;
  let seq = 0;
  let done = false;
  thread.load++;
  thread.post({ op: "start", id, algorithm });
  const finish = () => {
    if (done) return;
    done = true;
    thread.load--;
    thread.forget(id);
  };
  return {
    async update(bytes) {
      if (!(bytes.buffer instanceof SharedArrayBuffer))
        throw new Error("offloaded hashing needs shared memory");
      const { buffer, byteOffset: offset, byteLength: length } = bytes;
      await thread.request({ op: "update", id, seq: ++seq, buffer, offset, length });
    },
    async digest() {
      try {
        const reply = await thread.request({ op: "digest", id, seq: ++seq });
        return Buffer.from(reply.digest!);
      } finally {
        finish();
      }
    },
    cancel() {
      if (done) return;
      finish();
      try {
        thread.post({ op: "cancel", id });
      } catch {
        // The worker is gone, and the job with it.
      }
    },
  };
}
