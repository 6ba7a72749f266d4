/** Reads at most `limit` bytes from a stream, then cancels it, so the rest is never downloaded. */
export async function readUpTo(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const out = new Uint8Array(limit);
  let filled = 0;
  let ended = false;
  const reader = stream.getReader();
  try {
    while (filled < limit) {
      const { done, value } = await reader.read();
      if (done) {
        ended = true;
        break;
      }
      const take = Math.min(value.length, limit - filled);
      out.set(value.subarray(0, take), filled);
      filled += take;
    }
  } finally {
    if (!ended) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
  return out.subarray(0, filled);
}
