/**
 * The part of IndexedDB the state store uses. Declared here (not taken from lib "dom") so the
 * client also type-checks under the Node config, where indexedDB does not exist.
 */
export interface IdbRequest<T> {
  readonly result: T;
  readonly error: unknown;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}

export interface IdbOpenRequest extends IdbRequest<IdbDatabase> {
  onupgradeneeded: (() => void) | null;
  onblocked: (() => void) | null;
}

export interface IdbObjectStore {
  get(key: string): IdbRequest<unknown>;
  put(value: unknown, key: string): IdbRequest<unknown>;
  delete(key: string): IdbRequest<unknown>;
  getAll(): IdbRequest<unknown[]>;
}

export interface IdbTransaction {
  objectStore(name: string): IdbObjectStore;
  oncomplete: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  readonly error: unknown;
}

export interface IdbDatabase {
  readonly objectStoreNames: { contains(name: string): boolean };
  createObjectStore(name: string): unknown;
  transaction(store: string, mode: "readonly" | "readwrite"): IdbTransaction;
  close(): void;
  onversionchange: (() => void) | null;
}

export interface IdbFactory {
  open(name: string, version: number): IdbOpenRequest;
}

/** The runtime's indexedDB, if any. */
export function idbFactory(): IdbFactory | undefined {
  try {
    return (globalThis as { indexedDB?: IdbFactory }).indexedDB;
  } catch {
    // Some browsers throw on access in sandboxed frames.
    return undefined;
  }
}
