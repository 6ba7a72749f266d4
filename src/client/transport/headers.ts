/** Headers the HTTP client sets itself; browsers refuse to let scripts set them. */
const SET_BY_CLIENT = new Set(["content-length", "host"]);

/** The gateway's headers, minus content-length and host (the HTTP client sends those itself). */
export function sendableHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    if (!SET_BY_CLIENT.has(name.toLowerCase())) out[name] = headers[name]!;
  }
  return out;
}
