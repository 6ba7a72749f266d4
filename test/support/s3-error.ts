import { XMLParser } from "fast-xml-parser";

/** An S3 error response: status, Code, Message, and every other element of <Error> (Condition, Key...). */
export interface S3ErrorBody {
  status: number;
  code: string;
  message: string;
  fields: Record<string, string>;
}

const parser = new XMLParser({ parseTagValue: false, trimValues: false, processEntities: true });

/** Parses S3's `<Error><Code>…</Code><Message>…</Message>…</Error>` document. */
export function parseS3Error(xml: string, status = 0): S3ErrorBody {
  const doc = parser.parse(xml) as { Error?: Record<string, unknown> };
  const error = doc.Error;
  if (!error || typeof error !== "object") throw new Error(`not an S3 error document: ${xml.slice(0, 200)}`);
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(error))
    fields[name] = typeof value === "string" ? value : String(value ?? "");
  return { status, code: fields.Code ?? "", message: fields.Message ?? "", fields };
}

/** Reads a fetch Response that must be an S3 error (status >= 300 with an XML body). */
export async function readS3Error(res: Response): Promise<S3ErrorBody> {
  const text = await res.text();
  if (res.status < 300) throw new Error(`expected an error, got ${res.status}: ${text.slice(0, 200)}`);
  return parseS3Error(text, res.status);
}

/** What an `@aws-sdk/client-s3` call failed with: the error code and HTTP status (HEAD errors carry no body). */
export interface SdkFailure {
  code: string;
  status: number | undefined;
  error: Record<string, unknown>;
}

/** Awaits an SDK call that must fail, and returns its S3 code and status. */
export async function sdkFailure(call: Promise<unknown>): Promise<SdkFailure> {
  try {
    await call;
  } catch (err) {
    const e = err as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
    return {
      code: e.Code ?? e.name ?? "",
      status: e.$metadata?.httpStatusCode,
      error: err as Record<string, unknown>,
    };
  }
  throw new Error("expected the S3 call to fail, but it succeeded");
}
