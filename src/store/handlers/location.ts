import { encodePath } from "../../core/sigv4/encode.js";
import type { RequestContext } from "../context.js";

/** The URL of an object as S3 reports it (CompleteMultipartUpload and POST Location), in the addressing style used. */
export function objectLocation(ctx: RequestContext, bucket: string, key: string): string {
  const host = ctx.headers.get("host") ?? "localhost";
  const domain = ctx.state.options.domain;
  const hostname = host.replace(/:\d+$/, "").toLowerCase();
  const virtual = domain !== undefined && hostname === `${bucket}.${domain}`;
  const path = virtual ? `/${encodePath(key)}` : `/${encodePath(bucket)}/${encodePath(key)}`;
  return `http://${host}${path}`;
}
