import type { ServerResponse } from "node:http";
import { renderXmlDocument, type XmlNode } from "../core/s3/xml.js";
import type { RequestContext } from "./context.js";
import type { S3Error } from "./errors.js";

export function sendXml(
  ctx: RequestContext,
  status: number,
  root: string,
  body: XmlNode,
  headers: Record<string, string> = {},
): void {
  const text = renderXmlDocument(root, body);
  const res = ctx.res;
  res.statusCode = status;
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.setHeader("content-type", "application/xml");
  res.setHeader("content-length", Buffer.byteLength(text));
  res.end(ctx.method === "HEAD" ? undefined : text);
}

export function sendEmpty(ctx: RequestContext, status: number, headers: Record<string, string> = {}): void {
  const res = ctx.res;
  res.statusCode = status;
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (status !== 204 && status !== 304) res.setHeader("content-length", "0");
  res.end();
}

/** S3's error document (no namespace); HEAD responses carry the status only. */
export function sendError(res: ServerResponse, method: string, requestId: string, err: S3Error): void {
  const body: XmlNode = { Code: err.code, Message: err.message };
  for (const [name, value] of err.details) body[name] = value;
  body.RequestId = requestId;
  body.HostId = requestId;
  const text = renderXmlDocument("Error", body, { xmlns: false });
  res.statusCode = err.status;
  res.setHeader("content-type", "application/xml");
  res.setHeader("x-amz-request-id", requestId);
  if (method === "HEAD") {
    res.end();
    return;
  }
  res.setHeader("content-length", Buffer.byteLength(text));
  res.end(text);
}
