/**
 * Verified files come from GET /v1/files/:id, which needs the bearer token and answers with a 302
 * to a short-lived presigned URL on the store (another origin, allowed by the bucket's CORS).
 */
type Headers = Record<string, string>;

async function follow(url: string, headers: Headers): Promise<Response> {
  const response = await fetch(url, { headers, cache: "no-store" });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`the file could not be fetched (HTTP ${response.status})`);
  }
  return response;
}

/** The presigned URL the gateway redirects to: valid for a minute, usable without the token. */
export async function downloadUrl(url: string, headers: Headers): Promise<string> {
  const response = await follow(url, headers);
  await response.body?.cancel();
  return response.url;
}

/** A blob: URL of the file (for thumbnails of verified images). */
export async function blobUrl(url: string, headers: Headers): Promise<string> {
  const response = await follow(url, headers);
  return URL.createObjectURL(await response.blob());
}

/** Raster types a browser shows as a thumbnail (the gateway serves only these inline). */
export function hasThumbnail(type: string): boolean {
  return ["image/png", "image/jpeg", "image/webp", "image/gif"].includes(type);
}
