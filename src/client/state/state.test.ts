import { describe, expect, it } from "vitest";
import type { IdbDatabase, IdbFactory, IdbOpenRequest, IdbRequest, IdbTransaction } from "./idb-types.js";
import { indexedDbStateStore } from "./indexeddb.js";
import { identityOfKey, resumeKey } from "./key.js";
import { memoryStateStore } from "./memory.js";
import type { ResumeRecord, StateStore } from "./types.js";

/**
 * A minimal IndexedDB: asynchronous requests, upgrade on first open, transactions that complete
 * after their requests, structured clones in and out. Real browsers run the same store in the
 * Chromium tests; this checks the store's own wiring.
 */
function fakeIndexedDb(options: { failWrites?: boolean } = {}) {
  const databases = new Map<string, Map<string, Map<string, unknown>>>();
  let opens = 0;
  const later = (fn: () => void) => setTimeout(fn, 0);
  const factory: IdbFactory = {
    open(name) {
      opens++;
      const request = {
        onsuccess: null,
        onerror: null,
        onupgradeneeded: null,
        onblocked: null,
      } as unknown as IdbOpenRequest & {
        result: IdbDatabase;
      };
      later(() => {
        const isNew = !databases.has(name);
        const stores = databases.get(name) ?? new Map<string, Map<string, unknown>>();
        databases.set(name, stores);
        const db: IdbDatabase = {
          objectStoreNames: { contains: (s) => stores.has(s) },
          createObjectStore: (s) => stores.set(s, new Map()),
          close() {},
          onversionchange: null,
          transaction(storeName) {
            const data = stores.get(storeName)!;
            let pending = 0;
            const tx = {
              oncomplete: null,
              onerror: null,
              onabort: null,
              error: null,
            } as unknown as IdbTransaction & {
              error: unknown;
            };
            const op = <T>(run: () => T, write = false): IdbRequest<T> => {
              pending++;
              const req = {
                onsuccess: null,
                onerror: null,
                result: undefined,
                error: null,
              } as unknown as IdbRequest<T> & {
                result: T;
                error: unknown;
              };
              later(() => {
                if (options.failWrites && write) {
                  req.error = new Error("QuotaExceededError");
                  tx.error = req.error;
                  req.onerror?.();
                  tx.onerror?.();
                  return;
                }
                req.result = run();
                req.onsuccess?.();
                if (--pending === 0) later(() => tx.oncomplete?.());
              });
              return req;
            };
            tx.objectStore = () => ({
              get: (key) => op(() => structuredClone(data.get(key))),
              put: (value, key) => op(() => data.set(key, structuredClone(value)), true),
              delete: (key) => op(() => data.delete(key), true),
              getAll: () => op(() => [...data.values()].map((v) => structuredClone(v))),
            });
            return tx;
          },
        };
        request.result = db;
        if (isNew) request.onupgradeneeded?.();
        request.onsuccess?.();
      });
      return request;
    },
  };
  return { factory, databases, opens: () => opens };
}

const record = (key: string): ResumeRecord => ({
  key,
  id: "up-1",
  route: "videos",
  uploadId: "mp-1",
  objectKey: "videos/u/abc.mp4",
  partSize: 8,
  sizes: [8, 8, 3],
  etags: { "1": '"e1"' },
  expiresAt: "2030-01-01T00:00:00.000Z",
  updatedAt: "2029-01-01T00:00:00.000Z",
});

async function roundTrip(store: StateStore) {
  expect(await store.get("k")).toBeUndefined();
  const r = record("k");
  await store.put(r);
  r.etags["2"] = "mutated after put";
  const got = (await store.get("k"))!;
  expect(got).toEqual(record("k"));
  got.etags["3"] = "mutated after get";
  expect(await store.get("k")).toEqual(record("k"));
  await store.put({ ...record("k"), etags: { "1": '"e1"', "2": '"e2"' } });
  expect((await store.get("k"))!.etags).toEqual({ "1": '"e1"', "2": '"e2"' });
  await store.delete("k");
  expect(await store.get("k")).toBeUndefined();
}

describe("state stores", () => {
  it("memory: round trip, copies in and out", async () => {
    const store = memoryStateStore();
    await roundTrip(store);
    expect(store.size).toBe(0);
    await store.put(record("a"));
    const [listed] = await store.list!();
    expect(listed).toEqual(record("a"));
    listed!.etags["9"] = "mutated after list";
    expect(await store.get("a")).toEqual(record("a"));
  });

  it("indexedDB: one database, one object store, records keyed by resume key", async () => {
    const idb = fakeIndexedDb();
    const store = indexedDbStateStore({ factory: idb.factory, database: "upgate-test" });
    await roundTrip(store);
    await store.put(record("kept"));
    expect([...idb.databases.get("upgate-test")!.keys()]).toEqual(["uploads"]);
    expect([...idb.databases.get("upgate-test")!.get("uploads")!.keys()]).toEqual(["kept"]);
    expect(idb.opens()).toBe(1);
    // Another page (a reload) opens the same database and finds the record.
    const again = indexedDbStateStore({ factory: idb.factory, database: "upgate-test" });
    expect(await again.get("kept")).toEqual(record("kept"));
    // ...and can list every record, to offer resumes.
    await again.put(record("other"));
    expect((await again.list!()).map((r) => r.key).sort()).toEqual(["kept", "other"]);
  });

  it("indexedDB: a failed write rejects", async () => {
    const store = indexedDbStateStore({ factory: fakeIndexedDb({ failWrites: true }).factory });
    await expect(store.put(record("k"))).rejects.toThrow("QuotaExceededError");
  });

  it("indexedDB: refuses to start where there is none", () => {
    expect(() => indexedDbStateStore()).toThrow(/no indexedDB/);
  });

  it("resume keys differ by name, size, last-modified time and hash", () => {
    const base = { name: "a.mp4", size: 10, lastModified: 5 };
    const keys = new Set([
      resumeKey(base, "h1"),
      resumeKey({ ...base, name: "b.mp4" }, "h1"),
      resumeKey({ ...base, size: 11 }, "h1"),
      resumeKey({ ...base, lastModified: 6 }, "h1"),
      resumeKey(base, "h2"),
    ]);
    expect(keys.size).toBe(5);
    expect(resumeKey(base, "h1")).toBe(resumeKey({ ...base }, "h1"));
    expect(identityOfKey(resumeKey(base, "h1"))).toEqual(base);
    expect(identityOfKey("not json")).toBeUndefined();
    expect(identityOfKey(JSON.stringify(["upgate-resume-1", "a", 1, 2, "h"]))).toBeUndefined();
  });
});
