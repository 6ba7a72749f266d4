/**
 * What S3 answers (reference/s3-semantics.md §1.2, §5) when one query parameter of a presigned URL
 * that was valid at `now` is changed, parameter by parameter, in S3's order of checks.
 */
import type { Presigned } from "./presign-fixture.js";
import { SKEW_MS } from "./presign-fixture.js";

const AQPE = "AuthorizationQueryParametersError";
const SDM = "SignatureDoesNotMatch";
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** yyyymmddThhmmssZ as a real UTC time (any year 0000-9999, proleptic Gregorian), or undefined. */
export function amzDateTime(text: string): number | undefined {
  const m = AMZ_DATE.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const monthDays = mo === 2 && isLeap(y) ? 29 : DAYS[mo - 1];
  if (monthDays === undefined || d < 1 || d > monthDays || h > 23 || mi > 59 || s > 59) return undefined;
  // Days from 0000-03-01, counting March-based years, so leap days fall at the end of a year.
  const yy = mo <= 2 ? y - 1 : y;
  const mm = (mo + 9) % 12;
  const days = 365 * yy + Math.floor(yy / 4) - Math.floor(yy / 100) + Math.floor(yy / 400);
  const dayNumber = days + Math.floor((153 * mm + 2) / 5) + d - 1;
  const EPOCH = 719_468; // 1970-01-01 in the same count
  return ((dayNumber - EPOCH) * 86_400 + h * 3600 + mi * 60 + s) * 1000;
}

function credentialOutcome(p: Presigned, value: string, amzDate: string): string {
  const parts = value.split("/");
  if (parts.length !== 5 || parts.some((x) => x === "")) return AQPE;
  const [id, day, region, service, terminal] = parts as [string, string, string, string, string];
  if (!/^\d{8}$/.test(day) || region !== p.spec.region || service !== "s3") return AQPE;
  if (terminal !== "aws4_request" || day !== amzDate.slice(0, 8)) return AQPE;
  return id === p.spec.credentials.accessKeyId ? SDM : "InvalidAccessKeyId";
}

function windowOutcome(p: Presigned, dateMs: number, expires: number): string {
  const now = p.now.getTime();
  if (dateMs - now > SKEW_MS) return "AccessDenied";
  if (now > dateMs + expires * 1000) return "AccessDenied";
  return SDM;
}

function signedHeadersOutcome(p: Presigned, value: string): string {
  const signed = new Set(value.split(";"));
  const sent = p.headers.map(([n]) => n.toLowerCase());
  const unsigned = sent.filter(
    (n) => n.startsWith("x-amz-") && n !== "x-amz-content-sha256" && !signed.has(n),
  );
  return unsigned.length > 0 || !signed.has("host") ? "AccessDenied" : SDM;
}

/** The code verifyPresignedUrl must return once query parameter `name` reads `value`. */
export function expectedForQuery(p: Presigned, name: string, value: string): string {
  const amzDate = p.url.match(/X-Amz-Date=(\d{8}T\d{6}Z)/)![1]!;
  const date = p.spec.date.getTime();
  switch (name) {
    case "X-Amz-Algorithm":
      return AQPE;
    case "X-Amz-Date": {
      const t = amzDateTime(value);
      if (t === undefined || value.slice(0, 8) !== amzDate.slice(0, 8)) return AQPE;
      return windowOutcome(p, t, p.spec.expiresIn);
    }
    case "X-Amz-Credential":
      return credentialOutcome(p, value, amzDate);
    case "X-Amz-Expires": {
      if (!/^-?\d+$/.test(value)) return AQPE;
      const n = Number(value);
      if (n < 0 || n > 604_800) return AQPE;
      return windowOutcome(p, date, n);
    }
    case "X-Amz-SignedHeaders":
      return signedHeadersOutcome(p, value);
    case "X-Amz-Security-Token":
      return "InvalidToken";
    default:
      // X-Amz-Signature, hoisted x-amz-meta-*, partNumber, uploadId, ...: all signed.
      return SDM;
  }
}
