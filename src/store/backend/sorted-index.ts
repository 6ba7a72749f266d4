import { compareKeys } from "../../core/s3/key-order.js";
import type { ListObjectsQuery } from "./types.js";

interface Entry<T> {
  key: string;
  value: T;
}

/** Values by key, kept sorted in UTF-8 byte order so a listing page costs O(log n + page). */
export class SortedIndex<T> {
  readonly #entries: Entry<T>[] = [];

  get size(): number {
    return this.#entries.length;
  }

  get(key: string): T | undefined {
    const i = this.#lowerBound(key);
    const entry = this.#entries[i];
    return entry?.key === key ? entry.value : undefined;
  }

  set(key: string, value: T): void {
    const i = this.#lowerBound(key);
    const entry = this.#entries[i];
    if (entry?.key === key) entry.value = value;
    else this.#entries.splice(i, 0, { key, value });
  }

  delete(key: string): boolean {
    const i = this.#lowerBound(key);
    if (this.#entries[i]?.key !== key) return false;
    this.#entries.splice(i, 1);
    return true;
  }

  list(query: ListObjectsQuery): { values: T[]; truncated: boolean } {
    const prefix = query.prefix ?? "";
    let i = this.#lowerBound(prefix);
    if (query.after !== undefined) i = Math.max(i, this.#upperBound(query.after));
    const values: T[] = [];
    if (query.limit <= 0) return { values, truncated: false };
    for (; i < this.#entries.length; i++) {
      const entry = this.#entries[i]!;
      if (!entry.key.startsWith(prefix)) break;
      if (values.length === query.limit) return { values, truncated: true };
      values.push(entry.value);
    }
    return { values, truncated: false };
  }

  /** The first position whose key is >= key. */
  #lowerBound(key: string): number {
    let low = 0;
    let high = this.#entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compareKeys(this.#entries[mid]!.key, key) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** The first position whose key is > key. */
  #upperBound(key: string): number {
    let low = 0;
    let high = this.#entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compareKeys(this.#entries[mid]!.key, key) <= 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
