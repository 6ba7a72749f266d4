/** Anything a request's headers may come as: a Fetch `Headers`, raw pairs, or a Node-style record. */
export type HeaderInput =
  | { forEach(cb: (value: string, name: string) => void): void }
  | ReadonlyArray<readonly [string, string]>
  | Record<string, string | number | readonly string[] | undefined>;

/**
 * Lower-case names to values. Repeated headers join with "," as SigV4 requires. Pass raw pairs
 * (Node's `rawHeaders`) when the exact repeats matter: Node's `headers` record joins with ", ".
 */
export function headerMap(input: HeaderInput | undefined): Map<string, string> {
  const map = new Map<string, string>();
  const add = (name: string, value: string) => {
    const key = name.toLowerCase();
    const prev = map.get(key);
    map.set(key, prev === undefined ? value : `${prev},${value}`);
  };
  if (!input) return map;
  if (Array.isArray(input)) {
    for (const [name, value] of input as ReadonlyArray<readonly [string, string]>) add(name, value);
  } else if (typeof (input as { forEach?: unknown }).forEach === "function") {
    (input as { forEach(cb: (v: string, n: string) => void): void }).forEach((v, n) => {
      add(n, v);
    });
  } else {
    const rec = input as Record<string, string | number | readonly string[] | undefined>;
    for (const name in rec) {
      const value = rec[name];
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) add(name, String(v));
      else add(name, String(value));
    }
  }
  return map;
}

/** Turns Node's flat `rawHeaders` list into pairs. */
export function pairsFromRaw(raw: readonly string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}
