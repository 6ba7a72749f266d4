import { describeStorageFailure } from "../storage-failure.js";
import { probeKey } from "./probe-checks.js";
import { describeAnswer, s3Answer } from "./s3-answer.js";
import { type CheckResult, type DoctorContext, result } from "./types.js";

const ID = "post";
const NAME = "POST uploads";

/** A browser-style form POST of a probe object, when some route uses strategy "post". */
export async function checkPost(ctx: DoctorContext): Promise<CheckResult> {
  const routes = [...ctx.setup.routes.values()]
    .filter((r) => r.policy.strategy === "post")
    .map((r) => r.policy.name);
  if (routes.length === 0) return result(ID, NAME, "skip", 'no route uses strategy "post"');
  const key = probeKey("post");
  const body = new TextEncoder().encode("upgate doctor POST probe\n");
  const fix = `this storage takes no browser POST uploads (Cloudflare R2 has none): set storage.supportsPost: false and strategy "put" or "auto" on ${routes.join(", ")}`;
  try {
    const form = await ctx.storage.presignPost({
      key,
      fields: { "Content-Type": "text/plain" },
      contentLengthRange: [body.length, body.length],
      expiresIn: 60,
    });
    const data = new FormData();
    for (const [name, value] of Object.entries(form.fields)) data.append(name, value);
    data.append("file", new Blob([body], { type: "text/plain" }), "probe.txt");
    const res = await fetch(form.url, { method: "POST", body: data, signal: AbortSignal.timeout(15_000) });
    if (res.status < 200 || res.status > 299) {
      return result(ID, NAME, "fail", `a form POST got ${describeAnswer(await s3Answer(res))}`, fix);
    }
    await res.body?.cancel();
    await ctx.storage.delete(key).catch(() => {});
    return result(ID, NAME, "pass", `a form POST stored ${key.split("/")[0]}/… (HTTP ${res.status})`);
  } catch (err) {
    return result(ID, NAME, "fail", `the POST probe failed: ${describeStorageFailure(err)}`, fix);
  }
}
