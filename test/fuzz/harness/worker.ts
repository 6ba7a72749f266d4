import { parentPort, workerData } from "node:worker_threads";
import { targetByName } from "../targets/index.js";
import { runTarget } from "./run.js";

export interface WorkerJob {
  target: string;
  runs: number;
  seed: number;
  path?: string;
  boundMs: number;
  /** Int32Array[0] = index of the input being checked, for the parent's hang watchdog. */
  progress: SharedArrayBuffer;
}

const job = workerData as WorkerJob;
const current = new Int32Array(job.progress);
const result = await runTarget(targetByName(job.target), {
  runs: job.runs,
  seed: job.seed,
  ...(job.path !== undefined && { path: job.path }),
  boundMs: job.boundMs,
  onInput: (index) => Atomics.store(current, 0, index),
});
parentPort!.postMessage(result);
