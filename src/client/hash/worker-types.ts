/**
 * The part of the Web Worker API the CRC workers use. Declared here (not taken from lib "dom") so
 * the client also type-checks under the Node config, where Worker does not exist.
 */
export interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: { preventDefault?: () => void }) => void) | null;
}

export type WorkerConstructor = new (url: string) => WorkerLike;

/** The runtime's Worker, if it has one (browsers; not Node). */
export function workerConstructor(): WorkerConstructor | undefined {
  const { Worker } = globalThis as { Worker?: WorkerConstructor };
  return typeof Worker === "function" && typeof URL.createObjectURL === "function" ? Worker : undefined;
}

/** Logical cores, where the runtime says (navigator.hardwareConcurrency). */
export function hardwareConcurrency(): number | undefined {
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
}
