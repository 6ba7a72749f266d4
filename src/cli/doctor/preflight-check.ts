import { headObject } from "../../core/s3/requests.js";
import { requestUrl } from "../../core/s3/requests-url.js";
import { requiredHeaders } from "../cors/rules.js";
import { describeStorageFailure } from "../storage-failure.js";
import { corsFixText } from "./cors-check.js";
import { probeKey } from "./probe-checks.js";
import { type CheckResult, type DoctorContext, result } from "./types.js";

const ID = "preflight";
const NAME = "CORS preflight";

/**
 * What a browser sends before an upload: OPTIONS on an object URL with the signed headers. The
 * bucket's rules can read right and still be answered wrongly (a storage that ignores a header
 * pattern, or that needs the rules re-applied after an upgrade), so the answer itself is checked.
 */
export async function checkPreflight(
  ctx: DoctorContext,
  extraHeaders: readonly string[],
): Promise<CheckResult> {
  const { origins, routes, storage } = ctx.setup;
  if (origins === undefined) return result(ID, NAME, "skip", "no browser origins configured");
  const origin = origins === "*" ? "https://upgate-doctor.example" : origins[0]!;
  const headers = requiredHeaders(routes, extraHeaders, storage).filter((h) => !h.includes("*"));
  const url = requestUrl(
    { endpoint: storage.endpoint, forcePathStyle: storage.forcePathStyle },
    headObject(storage.bucket, probeKey("preflight")),
  );
  try {
    const res = await fetch(url, {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "PUT",
        "access-control-request-headers": headers.join(","),
      },
      signal: AbortSignal.timeout(15_000),
    });
    await res.body?.cancel();
    const allowOrigin = res.headers.get("access-control-allow-origin");
    const allowMethods = (res.headers.get("access-control-allow-methods") ?? "").toUpperCase();
    const allowHeaders = (res.headers.get("access-control-allow-headers") ?? "").toLowerCase();
    const problems: string[] = [];
    if (res.status !== 200) problems.push(`answered HTTP ${res.status}`);
    if (allowOrigin !== origin && allowOrigin !== "*")
      problems.push(`allowed origin ${allowOrigin ?? "none"}`);
    if (!allowMethods.split(/\s*,\s*/).includes("PUT")) problems.push(`allowed methods "${allowMethods}"`);
    const missing = headers.filter((h) => allowHeaders !== "*" && !allowHeaders.split(/\s*,\s*/).includes(h));
    if (missing.length > 0) problems.push(`did not allow ${missing.join(", ")}`);
    if (problems.length > 0) {
      return result(
        ID,
        NAME,
        "fail",
        `a PUT preflight from ${origin} ${problems.join("; ")}: browsers cannot upload`,
        `${corsFixText(ctx.corsFix)}, then check that the storage answers OPTIONS (a proxy in front may eat it)`,
      );
    }
    return result(ID, NAME, "pass", `a PUT preflight from ${origin} was allowed with every signed header`);
  } catch (err) {
    return result(
      ID,
      NAME,
      "fail",
      `the preflight failed: ${describeStorageFailure(err)}`,
      "check the endpoint",
    );
  }
}
