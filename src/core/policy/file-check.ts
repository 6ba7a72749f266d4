import type { ErrorCode } from "../errors.js";
import type { FileDeclaration } from "../protocol.js";
import { isPlainObject } from "../util/plain-object.js";
import { formatSize } from "../util/sizes.js";
import { declaredChecksumProblems } from "./declared-checksum.js";
import { MAX_OBJECT_SIZE, MAX_SINGLE_UPLOAD } from "./limits.js";
import { metadataProblem } from "./metadata.js";
import { describeType, describeTypes, typeMatches, validMimeType } from "./mime.js";
import type { FileProblem, RoutePolicy } from "./route-policy.js";

const FIELDS = ["name", "type", "size", "sha256", "crc64nvme", "crc32c", "metadata"];
const MAX_NAME_LENGTH = 1024;
// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A value for a message, cut short: names and types come from the client. */
function shown(value: unknown): string {
  const text = typeof value === "string" ? value : String(value);
  return JSON.stringify(text.length > 100 ? `${text.slice(0, 100)}…` : text);
}

function nameProblem(name: unknown): string | undefined {
  if (name === undefined || name === "") return "needs a name";
  if (typeof name !== "string") return "name must be a string";
  if (name.length > MAX_NAME_LENGTH) return `name is longer than ${MAX_NAME_LENGTH} characters`;
  if (CONTROL.test(name)) return "name contains control characters";
  if (!name.isWellFormed()) return "name is not valid Unicode (it has a lone surrogate)";
  return undefined;
}

/** "12 MB, limit 10 MB", with exact bytes when the rounded figures would look equal. */
function sizeVersus(size: number, limit: number, word: string, suffix = ""): string {
  const a = formatSize(size);
  const b = formatSize(limit);
  return a === b ? `${size} bytes, ${word} ${limit} bytes${suffix}` : `${a}, ${word} ${b}${suffix}`;
}

/** The largest size the route's strategy can carry: one PUT or POST, or a multipart upload. */
function strategyLimit(route: RoutePolicy): number {
  return route.strategy === "put" || route.strategy === "post" ? MAX_SINGLE_UPLOAD : MAX_OBJECT_SIZE;
}

/** Checks one declared file; see checkFiles. */
export function checkFile(
  route: RoutePolicy,
  raw: unknown,
  index: number,
): { file?: FileDeclaration; problems: FileProblem[] } {
  if (!isPlainObject(raw)) {
    return {
      problems: [
        {
          index,
          name: "",
          code: "VALIDATION_FAILED",
          message: `file ${index + 1} must be an object like { "name", "type", "size" }`,
        },
      ],
    };
  }
  const badName = nameProblem(raw.name);
  const name = badName === undefined ? (raw.name as string) : "";
  const label = name || `file ${index + 1}`;
  const problems: FileProblem[] = [];
  const problem = (code: ErrorCode, message: string, details?: Record<string, unknown>) => {
    problems.push({ index, name, code, message, ...(details && { details }) });
  };

  const unknown = Object.keys(raw).filter((k) => !FIELDS.includes(k));
  if (unknown.length > 0) {
    problem(
      "VALIDATION_FAILED",
      `${label} has unknown fields: ${unknown.slice(0, 5).map(shown).join(", ")} (allowed: ${FIELDS.join(", ")})`,
      { fields: unknown.slice(0, 20) },
    );
  }
  if (badName) problem("VALIDATION_FAILED", `${label} ${badName}`, { field: "name" });

  const type = validMimeType(raw.type);
  if (raw.type === undefined) {
    problem("VALIDATION_FAILED", `${label} needs a type, a MIME type like "image/png"`, { field: "type" });
  } else if (type === undefined) {
    problem(
      "VALIDATION_FAILED",
      `${label} has an invalid type ${shown(raw.type)}; expected one like "image/png"`,
      {
        field: "type",
      },
    );
  } else if (!typeMatches(type, route.types)) {
    problem(
      "POLICY_TYPE_NOT_ALLOWED",
      `${label} is ${describeType(type)}, not an allowed type for ${route.label} (allowed: ${describeTypes(route.types)})`,
      { type, allowed: route.types },
    );
  }

  const size = raw.size;
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) {
    const why = size === undefined ? "needs a size" : "size must be a whole number of bytes (0 or more)";
    problem("VALIDATION_FAILED", `${label} ${why}`, { field: "size" });
  } else if (size > route.maxSize) {
    problem("POLICY_TOO_LARGE", `${label} is too large: ${sizeVersus(size, route.maxSize, "limit")}`, {
      size,
      maxSize: route.maxSize,
    });
  } else if (size > strategyLimit(route)) {
    const limit = strategyLimit(route);
    const how =
      limit === MAX_SINGLE_UPLOAD ? `a single ${route.strategy.toUpperCase()} upload` : "one object in S3";
    problem("POLICY_TOO_LARGE", `${label} is too large: ${sizeVersus(size, limit, "limit", ` for ${how}`)}`, {
      size,
      maxSize: limit,
    });
  } else if (size < route.minSize) {
    problem("POLICY_TOO_SMALL", `${label} is too small: ${sizeVersus(size, route.minSize, "minimum")}`, {
      size,
      minSize: route.minSize,
    });
  }

  const validSize = typeof size === "number" && Number.isSafeInteger(size) && size >= 0 ? size : undefined;
  for (const p of declaredChecksumProblems(route, raw, label, validSize))
    problem(p.code, p.message, p.details);

  if (raw.metadata !== undefined) {
    const bad = metadataProblem(raw.metadata);
    if (bad) problem("VALIDATION_FAILED", `${label}: ${bad}`, { field: "metadata" });
  }

  if (problems.length > 0) return { problems };
  const file: FileDeclaration = { name, type: type!, size: size as number };
  const checksum = raw[route.checksumAlgorithm];
  if (checksum !== undefined) file[route.checksumAlgorithm] = checksum as string;
  if (raw.metadata !== undefined) file.metadata = { ...(raw.metadata as Record<string, string>) };
  return { file, problems };
}
