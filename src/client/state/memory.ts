import type { ResumeRecord, StateStore } from "./types.js";

/** Resume records in a Map (Node, tests, or browsers without IndexedDB). Records are copied in and out. */
export function memoryStateStore(): StateStore & { readonly size: number } {
  const records = new Map<string, ResumeRecord>();
  return {
    get size() {
      return records.size;
    },
    async get(key) {
      const record = records.get(key);
      return record === undefined ? undefined : structuredClone(record);
    },
    async put(record) {
      records.set(record.key, structuredClone(record));
    },
    async delete(key) {
      records.delete(key);
    },
    async list() {
      return [...records.values()].map((record) => structuredClone(record));
    },
  };
}
