import { UpgateError } from "../../core/errors.js";
import { renderKey } from "../../core/policy/keys.js";
import { extensionForType } from "../../core/policy/mime.js";
import { type PartPlan, planParts } from "../../core/policy/parts.js";
import { s3KeyProblem } from "../../core/policy/s3-key.js";
import { chooseStrategy } from "../../core/policy/strategy.js";
import type { FileDeclaration } from "../../core/protocol.js";
import { randomId } from "../../core/util/random.js";
import type { ResolvedConfig, ResolvedRoute } from "../config/resolved.js";
import type { KeyContext } from "../config/types.js";
import type { RequestContext } from "../context.js";
import type { NewUpload, Strategy } from "../ledger/types.js";
import type { Principal } from "../principal.js";
import type { UrlWindow } from "../s3/types.js";
import { type AnonymousSecrets, newAnonymousSecrets } from "./capability.js";
import { fileMetadata, fitsMetadataBudget, MAX_METADATA, uploaderMetadata } from "./object-metadata.js";

/** One file of a create request, decided: its ledger row, how it is uploaded, what the object carries. */
export interface PlannedUpload {
  row: NewUpload;
  strategy: Strategy;
  /** Every x-amz-meta-* value to sign (names without the prefix), uploader values included. */
  metadata: Record<string, string>;
  parts?: PartPlan;
  /** Anonymous uploads: the capability and download token, returned once in the create answer. */
  secrets?: AnonymousSecrets;
}

const MAX_USER_AGENT = 512;

/**
 * Ids, keys, strategies, part plans and metadata for every file, before anything is reserved or
 * signed; `subject` is the caller's quota subject (quota-subject.ts). Each row expires with the
 * `window` its URLs will be signed in.
 */
export async function planUploads(
  target: Pick<ResolvedConfig["storage"], "bucket" | "supportsPost">,
  route: ResolvedRoute,
  principal: Principal,
  subject: string,
  files: readonly FileDeclaration[],
  req: RequestContext,
  window: UrlWindow,
): Promise<PlannedUpload[]> {
  const now = new Date();
  const expiresAt = window.expiresAt;
  const userAgent = req.headers.get("user-agent")?.slice(0, MAX_USER_AGENT) ?? null;
  const planned = await Promise.all(
    files.map(async (file, index): Promise<PlannedUpload> => {
      const id = randomId(128);
      const [key, extra, secrets] = await Promise.all([
        objectKey(route, { principal, file, index, req }, id),
        fileMetadata(route, principal, file),
        principal.via === "anonymous" ? newAnonymousSecrets() : undefined,
      ]);
      const strategy = chooseStrategy(route.policy, file.size, target.supportsPost);
      const parts = strategy === "multipart" ? planParts(file.size, route.policy.partSize) : undefined;
      return {
        strategy,
        metadata: { ...extra, ...uploaderMetadata(principal.userId, id) },
        ...(parts && { parts }),
        ...(secrets && { secrets }),
        row: {
          id,
          userId: principal.userId,
          route: route.policy.name,
          bucket: target.bucket,
          key,
          name: file.name,
          strategy,
          declaredSize: file.size,
          declaredType: file.type,
          sha256: file.sha256 ?? null,
          checksumAlgorithm: route.policy.checksumAlgorithm,
          checksum: file[route.policy.checksumAlgorithm] ?? null,
          multipartUploadId: null,
          partSize: parts?.partSize ?? null,
          partCount: parts?.partCount ?? null,
          clientIp: req.clientIp ?? null,
          userAgent,
          quotaSubject: subject,
          capabilityHash: secrets?.capabilityHash ?? null,
          downloadTokenHash: secrets?.downloadTokenHash ?? null,
          metadata: extra,
          createdAt: now,
          expiresAt,
        },
      };
    }),
  );
  const overBudget = planned.filter((p) => !fitsMetadataBudget(p.metadata));
  if (overBudget.length > 0) {
    const problems = overBudget.map((p) => ({
      index: planned.indexOf(p),
      name: p.row.name,
      code: "VALIDATION_FAILED",
      message: `${p.row.name}: metadata is larger than ${MAX_METADATA} bytes with the uploader's`,
    }));
    throw new UpgateError("VALIDATION_FAILED", problems.map((p) => p.message).join("; "), {
      details: { problems },
    });
  }
  const keys = new Set(planned.map((p) => p.row.key));
  if (keys.size !== planned.length) {
    throw new UpgateError(
      "CONFIG_INVALID",
      `route ${route.policy.name}'s key function gave two files the same key`,
    );
  }
  return planned;
}

/**
 * The object key for one upload, chosen by the server: the route's template, or its function (whose
 * result must be a safe key). Nothing the client sent is used but the declared type's extension.
 */
async function objectKey(
  route: ResolvedRoute,
  at: { principal: Principal; file: FileDeclaration; index: number; req: RequestContext },
  uploadId: string,
): Promise<string> {
  const { principal, file, index, req } = at;
  const ext = extensionForType(file.type);
  const random = randomId(128);
  if ("template" in route.key) {
    return renderKey(route.key.template, {
      route: route.policy.name,
      userId: principal.userId,
      ext,
      uploadId,
      random,
    });
  }
  // The Request is built only for a route's key function.
  const ctx: KeyContext = {
    principal,
    route: route.policy.name,
    file,
    index,
    request: req.request,
    uploadId,
    ext,
    random,
  };
  const key = await route.key.fn(ctx);
  const problem = typeof key === "string" ? s3KeyProblem(key) : "it is not a string";
  if (problem) {
    throw new UpgateError(
      "CONFIG_INVALID",
      `route ${route.policy.name}'s key function returned an unsafe key: ${problem}`,
    );
  }
  return key;
}
