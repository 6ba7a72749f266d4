import { abortedError, UploadError } from "../errors.js";

export function networkError(url: string, cause?: unknown): UploadError {
  let host = url;
  try {
    host = new URL(url).host;
  } catch {
    // keep the raw string
  }
  return new UploadError("NETWORK", `network connection to ${host} lost`, {
    retryable: true,
    ...(cause === undefined ? {} : { cause }),
  });
}

export function stallError(ms: number): UploadError {
  return new UploadError("TIMEOUT", `the connection stalled: no progress for ${Math.round(ms / 1000)} s`, {
    retryable: true,
  });
}

export { abortedError };
