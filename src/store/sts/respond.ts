import type { ServerResponse } from "node:http";
import { renderXmlDocument, type XmlNode } from "../../core/s3/xml.js";
import type { StsError } from "./sts-error.js";

export const STS_XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/";

function send(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader("content-type", "text/xml");
  res.setHeader("content-length", Buffer.byteLength(text));
  res.end(text);
}

/** `<{Action}Response><{Action}Result>...</{Action}Result><ResponseMetadata>...` as STS answers. */
export function sendStsResult(res: ServerResponse, action: string, requestId: string, result: XmlNode): void {
  const body = { [`${action}Result`]: result, ResponseMetadata: { RequestId: requestId } };
  send(res, 200, renderXmlDocument(`${action}Response`, body, { xmlns: STS_XMLNS }));
}

/** `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`. */
export function sendStsError(res: ServerResponse, requestId: string, err: StsError): void {
  const body = {
    Error: { Type: err.status >= 500 ? "Receiver" : "Sender", Code: err.code, Message: err.message },
    RequestId: requestId,
  };
  send(res, err.status, renderXmlDocument("ErrorResponse", body, { xmlns: STS_XMLNS }));
}
