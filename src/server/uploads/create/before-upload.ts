import { UpgateError } from "../../../core/errors.js";
import type { FileDeclaration } from "../../../core/protocol.js";
import type { ResolvedRoute } from "../../config/resolved.js";
import type { Principal } from "../../principal.js";

/**
 * Runs the route's onBeforeUpload for every file. A hook rejects by returning a string or throwing
 * (an UpgateError keeps its code; any other error's message becomes HOOK_REJECTED's). Every file's
 * verdict is collected, so one answer lists all rejections.
 */
export async function runBeforeUpload(
  route: ResolvedRoute,
  principal: Principal,
  files: readonly FileDeclaration[],
  req: { readonly request: Request },
): Promise<void> {
  const hook = route.onBeforeUpload;
  if (!hook) return;
  const request = req.request;
  const verdicts = await Promise.all(
    files.map(async (file, index) => {
      try {
        const result = await hook({ principal, route: route.policy.name, file, index, request });
        return typeof result === "string" ? result || "rejected" : undefined;
      } catch (err) {
        if (err instanceof UpgateError) throw err;
        return err instanceof Error && err.message ? err.message : "rejected";
      }
    }),
  );
  const problems = verdicts.flatMap((message, index) =>
    message === undefined ? [] : [{ index, name: files[index]!.name, code: "HOOK_REJECTED", message }],
  );
  if (problems.length === 0) return;
  const message =
    problems.length === 1 ? problems[0]!.message : problems.map((p) => `${p.name}: ${p.message}`).join("; ");
  throw new UpgateError("HOOK_REJECTED", message, { details: { problems } });
}
