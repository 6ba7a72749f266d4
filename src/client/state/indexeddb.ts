import { type IdbDatabase, type IdbFactory, type IdbRequest, idbFactory } from "./idb-types.js";
import type { ResumeRecord, StateStore } from "./types.js";

export interface IndexedDbStateOptions {
  /** Database name (default "upgate"). */
  database?: string;
  factory?: IdbFactory;
}

const STORE = "uploads";
const VERSION = 1;

function settle<T>(request: IdbRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Resume records in IndexedDB: one database with one object store, records keyed by resumeKey.
 * The connection is opened on first use and closed when another tab upgrades the database.
 */
export function indexedDbStateStore(options: IndexedDbStateOptions = {}): StateStore {
  const factory = options.factory ?? idbFactory();
  if (!factory) throw new Error("upgate: this runtime has no indexedDB; use memoryStateStore()");
  const name = options.database ?? "upgate";
  let db: Promise<IdbDatabase> | undefined;

  const open = (): Promise<IdbDatabase> => {
    db ??= new Promise<IdbDatabase>((resolve, reject) => {
      const request = factory.open(name, VERSION);
      request.onupgradeneeded = () => {
        if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE);
      };
      request.onsuccess = () => {
        const opened = request.result;
        opened.onversionchange = () => {
          opened.close();
          db = undefined;
        };
        resolve(opened);
      };
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error(`upgate: IndexedDB "${name}" is blocked by another tab`));
    }).catch((err) => {
      db = undefined;
      throw err;
    });
    return db;
  };

  const write = async (apply: (store: ReturnType<IdbDatabase["transaction"]>) => void): Promise<void> => {
    const tx = (await open()).transaction(STORE, "readwrite");
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error("upgate: IndexedDB transaction aborted"));
      apply(tx);
    });
  };

  return {
    async get(key) {
      const tx = (await open()).transaction(STORE, "readonly");
      const value = await settle(tx.objectStore(STORE).get(key));
      return (value ?? undefined) as ResumeRecord | undefined;
    },
    put(record) {
      return write((tx) => tx.objectStore(STORE).put(record, record.key));
    },
    delete(key) {
      return write((tx) => tx.objectStore(STORE).delete(key));
    },
    async list() {
      const tx = (await open()).transaction(STORE, "readonly");
      return (await settle(tx.objectStore(STORE).getAll())) as ResumeRecord[];
    },
  };
}
