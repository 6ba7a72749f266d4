import { parseQuery, splitTarget } from "../core/sigv4/encode.js";
import { AUTH_PARAMS } from "../core/sigv4/verify.js";
import { S3Error } from "./errors.js";

/**
 * Each query-string authentication parameter may appear once. With two, the verifier would read one
 * value and another component might read the other; refusing the request leaves nothing ambiguous.
 */
export function checkAuthParamsOnce(target: string): void {
  const pairs = parseQuery(splitTarget(target).query) ?? [];
  const seen = new Set<string>();
  for (const [name] of pairs) {
    if (!AUTH_PARAMS.has(name)) continue;
    if (seen.has(name)) {
      throw S3Error.fromFailure({
        code: "AuthorizationQueryParametersError",
        status: 400,
        message: `${name} must appear at most once in the query string.`,
        details: [],
      });
    }
    seen.add(name);
  }
}
