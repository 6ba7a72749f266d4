export { ERROR_CODES, type ErrorBody, type ErrorCode, UpgateError } from "./errors.js";
export * from "./policy/index.js";
export type * from "./protocol.js";
export { multipartETag } from "./s3/etag.js";
export * from "./s3/requests.js";
export * from "./s3/requests-url.js";
export { escapeXml, renderXmlDocument, S3_XMLNS, type XmlNode, type XmlValue } from "./s3/xml.js";
export * from "./sigv4/index.js";
