import type { ErrorCode } from "../errors.js";
import type { RouteChecksumAlgorithm } from "../protocol.js";
import { checksumValueProblem, ROUTE_CHECKSUM_ALGORITHMS } from "./checksum-algorithm.js";
import type { RoutePolicy } from "./route-policy.js";
import { chooseStrategy } from "./strategy.js";

export interface ChecksumProblem {
  code: ErrorCode;
  message: string;
  details: Record<string, unknown>;
}

/**
 * The problems with a declaration's checksum fields on this route: only the route's algorithm is
 * accepted (another algorithm's field is refused, naming the right one), its value must be canonical
 * base64 of one digest, and a route with checksum "required" needs it. A CRC route's multipart file
 * may leave it out here: its whole-file CRC is combined from the parts and given at Complete, where
 * "required" is enforced again (FULL_OBJECT). `size` is the declared size when it is valid.
 */
export function declaredChecksumProblems(
  route: RoutePolicy,
  raw: Record<string, unknown>,
  label: string,
  size: number | undefined,
): ChecksumProblem[] {
  const algorithm = route.checksumAlgorithm;
  const problems: ChecksumProblem[] = [];
  for (const other of ROUTE_CHECKSUM_ALGORITHMS) {
    if (other === algorithm || raw[other] === undefined) continue;
    problems.push({
      code: "VALIDATION_FAILED",
      message: `${label}: ${route.label} checks ${algorithm} checksums; declare ${algorithm}, not ${other}`,
      details: { field: other, algorithm },
    });
  }
  const value = raw[algorithm];
  if (value === undefined) {
    if (route.checksum === "required" && !givenAtComplete(route, algorithm, size)) {
      problems.push({
        code: "POLICY_CHECKSUM_REQUIRED",
        message: `${label} needs a ${algorithm}: ${route.label} requires the base64 ${algorithm === "sha256" ? "SHA-256" : algorithm.toUpperCase()} of each file`,
        details: { field: algorithm },
      });
    }
    return problems;
  }
  const bad = checksumValueProblem(algorithm, value);
  if (bad)
    problems.push({ code: "VALIDATION_FAILED", message: `${label}: ${bad}`, details: { field: algorithm } });
  return problems;
}

/** A CRC route's multipart upload gives its whole-file value at Complete instead. */
function givenAtComplete(
  route: RoutePolicy,
  algorithm: RouteChecksumAlgorithm,
  size: number | undefined,
): boolean {
  return algorithm !== "sha256" && size !== undefined && chooseStrategy(route, size, true) === "multipart";
}
