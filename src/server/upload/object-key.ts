import { UpgateError } from "../../core/errors.js";
import { renderKey } from "../../core/policy/keys.js";
import { extensionForType } from "../../core/policy/mime.js";
import { s3KeyProblem } from "../../core/policy/s3-key.js";
import { randomId } from "../../core/util/random.js";
import type { ResolvedRoute } from "../config/resolved.js";
import type { FileContext } from "../config/types.js";

/**
 * The object key for one upload, chosen by the server: the route's template, or its function (whose
 * result must be a safe key). Nothing the client sent is used but the declared type's extension.
 */
export async function objectKey(route: ResolvedRoute, ctx: FileContext, uploadId: string): Promise<string> {
  const ext = extensionForType(ctx.file.type);
  const random = randomId(128);
  if ("template" in route.key) {
    return renderKey(route.key.template, {
      route: route.policy.name,
      userId: ctx.principal.userId,
      ext,
      uploadId,
      random,
    });
  }
  const key = await route.key.fn({ ...ctx, uploadId, ext, random });
  const problem = typeof key === "string" ? s3KeyProblem(key) : "it is not a string";
  if (problem) {
    throw new UpgateError(
      "CONFIG_INVALID",
      `route ${route.policy.name}'s key function returned an unsafe key: ${problem}`,
    );
  }
  return key;
}
