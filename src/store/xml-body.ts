import { parseXml, type XmlElement, XmlParseError } from "../core/s3/xml-read.js";
import { S3Error } from "./errors.js";

/**
 * Parses a request body whose root element must be `root` and reads it with `read`, which may use
 * the strict readers (singleChildText). Any XmlParseError, from the parse or from `read`, is
 * 400 MalformedXML, as S3 answers a body that is not well-formed or does not fit the schema.
 */
export function readXmlBody<T>(
  body: Uint8Array,
  root: string,
  arrays: readonly string[],
  read: (element: XmlElement) => T,
): T {
  try {
    const doc = parseXml(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8"), {
      arrays,
    });
    if (doc.root !== root) throw new XmlParseError(`expected <${root}>, found <${doc.root}>`);
    return read(doc.element);
  } catch (err) {
    if (err instanceof XmlParseError) throw new S3Error("MalformedXML");
    throw err;
  }
}
