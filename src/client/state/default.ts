import { idbFactory } from "./idb-types.js";
import { indexedDbStateStore } from "./indexeddb.js";
import { memoryStateStore } from "./memory.js";
import type { StateStore } from "./types.js";

/** IndexedDB where it exists (resume survives a reload), else memory (resume within the process). */
export function defaultStateStore(): StateStore {
  return idbFactory() ? indexedDbStateStore() : memoryStateStore();
}
