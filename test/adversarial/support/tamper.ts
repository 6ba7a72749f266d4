import {
  STREAMING_PAYLOAD,
  STREAMING_PAYLOAD_TRAILER,
  STREAMING_UNSIGNED_TRAILER,
} from "../../../src/core/sigv4/canonical.js";
import { createChecksum } from "../../../src/core/sigv4/checksums.js";
import { ChunkSigner, encodeAwsChunked } from "../../../src/core/sigv4/chunked.js";
import type { Refusal } from "./case.js";
import type { StoreWorld } from "./store-world.js";

/** Replaces the raw (encoded) value of query parameter `name` in a URL; throws when it is absent. */
export function setParam(url: string, name: string, encodedValue: string): string {
  const re = new RegExp(`([?&]${name.replace(/[-]/g, "\\-")}=)[^&]*`);
  if (!re.test(url)) throw new Error(`no ${name} in ${url}`);
  return url.replace(re, (_, head: string) => `${head}${encodedValue}`);
}

/** The raw (encoded) value of query parameter `name`. */
export function getParam(url: string, name: string): string {
  const m = new RegExp(`[?&]${name}=([^&]*)`).exec(url);
  if (!m) throw new Error(`no ${name} in ${url}`);
  return m[1]!;
}

/** Changes one hex digit of a signature (the first that is not "0" becomes "0", else "1"). */
export function flipHex(sig: string, at = sig.length - 1): string {
  const c = sig[at] === "0" ? "1" : "0";
  return sig.slice(0, at) + c + sig.slice(at + 1);
}

/** Rewrites one field of the Credential=... in an Authorization header or X-Amz-Credential value. */
export function setCredentialPart(credential: string, index: number, value: string, sep = "/"): string {
  const parts = credential.split(sep);
  parts[index] = value;
  return parts.join(sep);
}

/** Edits the Authorization header's Credential, SignedHeaders or Signature component. */
export function editAuthorization(
  authorization: string,
  component: "Credential" | "SignedHeaders" | "Signature",
  edit: (value: string) => string,
): string {
  return authorization.replace(
    new RegExp(`${component}=([^,]*)`),
    (_, v: string) => `${component}=${edit(v)}`,
  );
}

export type ChunkedMode = "signed" | "signed-trailer" | "unsigned-trailer";

export interface ChunkedRequest {
  path: string;
  headers: Record<string, string>;
  wire: Buffer;
}

/**
 * A legitimate aws-chunked PUT of `payload` (8 KiB chunks), signed with the seed signature, chained
 * chunk signatures and, with a trailer, a crc32 checksum (signed or not). Cases tamper with `wire`.
 */
export async function chunkedPut(
  w: StoreWorld,
  key: string,
  payload: Buffer,
  mode: ChunkedMode,
  options: { decodedLength?: number; trailerValue?: string; date?: Date } = {},
): Promise<ChunkedRequest> {
  const path = w.path(key);
  const trailer = mode !== "signed";
  const headers: Record<string, string> = {
    "content-encoding": "aws-chunked",
    "x-amz-decoded-content-length": String(options.decodedLength ?? payload.length),
  };
  if (trailer) headers["x-amz-trailer"] = "x-amz-checksum-crc32";
  const payloadHash =
    mode === "signed"
      ? STREAMING_PAYLOAD
      : mode === "signed-trailer"
        ? STREAMING_PAYLOAD_TRAILER
        : STREAMING_UNSIGNED_TRAILER;
  const signed = await w.sign("PUT", path, {
    headers,
    payloadHash,
    ...(options.date ? { date: options.date } : {}),
  });
  const crc = options.trailerValue ?? (await crc32Base64(payload));
  const wire = await encodeAwsChunked(payload, 8192, {
    ...(mode === "unsigned-trailer" ? {} : { signer: new ChunkSigner(signed.chunkSigning) }),
    ...(trailer ? { trailers: [["x-amz-checksum-crc32", crc] as const] } : {}),
  });
  return { path, headers: signed.headers, wire: Buffer.from(wire) };
}

/** Flips one hex digit right after the `occurrence`-th (0-based; -1 = last) match of `marker` in the wire bytes. */
export function flipAfter(wire: Buffer, marker: string, occurrence = 0, offset = 0): Buffer {
  const text = wire.toString("latin1");
  let at = -1;
  if (occurrence < 0) at = text.lastIndexOf(marker);
  else for (let i = 0, from = 0; i <= occurrence; i++, from = at + 1) at = text.indexOf(marker, from);
  if (at === -1) throw new Error(`no ${marker} in the body`);
  const pos = at + marker.length + offset;
  const out = Buffer.from(wire);
  out[pos] = out[pos] === 0x30 ? 0x31 : 0x30;
  return out;
}

export const sendChunked = (w: StoreWorld, req: ChunkedRequest, wire = req.wire): Promise<Refusal> =>
  w.send("PUT", req.path, req.headers, wire);

export async function crc32Base64(data: Uint8Array): Promise<string> {
  const c = createChecksum("crc32");
  c.update(data);
  return c.digestBase64();
}
