import { refreshMarginMs } from "../../server/runtime/credentials.js";
import { createCredentialSource } from "../../server/storage/credentials/source.js";
import { createStorageClient } from "../../server/storage/s3-client.js";
import { createS3Transport } from "../../server/storage/transport.js";
import type { Setup } from "../config/setup.js";
import { checkUnsignedAcl } from "./acl-check.js";
import { checkChecksumsKept } from "./checksum-kept-check.js";
import { checkCors } from "./cors-check.js";
import { checkCredentialSource } from "./credential-source-check.js";
import { checkLedger } from "./ledger-check.js";
import { checkMultipartWriteOnce } from "./multipart-once-check.js";
import { checkPartChecksumEnforced } from "./part-checksum-check.js";
import { checkPost } from "./post-check.js";
import { checkPreflight } from "./preflight-check.js";
import { checkChecksumEnforced, checkWriteReadDelete } from "./probe-checks.js";
import { checkClock, checkCredentials, checkReachable } from "./storage-checks.js";
import { type CheckResult, type DoctorContext, result } from "./types.js";

const TIMEOUT_MS = 15_000;

const skipped = (id: string, name: string, why: string) => result(id, name, "skip", why);

/** The storage checks after credentials, which are pointless once those fail. */
const DEPENDENT: Array<[string, string]> = [
  ["write", "write, read, delete"],
  ["cors", "bucket CORS"],
  ["preflight", "CORS preflight"],
  ["post", "POST uploads"],
  ["checksum", "checksum enforcement"],
  ["part-checksum", "part checksum enforcement"],
  ["checksum-kept", "checksums kept (what completion reads)"],
  ["multipart-once", "multipart write-once"],
  ["acl", "unsigned ACL"],
];

/** Runs every check in order; checks that cannot mean anything after an earlier failure are skipped. */
export async function runDoctor(
  setup: Setup,
  options: { corsFix: string; extraHeaders: readonly string[] },
): Promise<CheckResult[]> {
  const credentials = createCredentialSource(setup.storage.credentials, {
    refreshMarginMs: refreshMarginMs(setup.routes.values()),
  });
  const ctx: DoctorContext = {
    setup,
    storage: createStorageClient(setup.storage, { timeoutMs: TIMEOUT_MS, credentials }),
    transport: createS3Transport(setup.storage, { timeoutMs: TIMEOUT_MS, credentials }),
    corsFix: options.corsFix,
  };
  const results: CheckResult[] = [];
  const reachable = await checkReachable(ctx);
  results.push(reachable);
  const source = await checkCredentialSource(ctx);
  results.push(source);
  if (reachable.status === "fail" || source.status === "fail") {
    const why = reachable.status === "fail" ? "endpoint unreachable" : "no credentials";
    results.push(skipped("credentials", "credentials valid", why));
    for (const [id, name] of DEPENDENT) results.push(skipped(id, name, why));
    results.push(reachable.status === "fail" ? skipped("clock", "clock skew", why) : checkClock(ctx));
  } else {
    const credentials = await checkCredentials(ctx);
    results.push(credentials);
    if (credentials.status === "fail") {
      for (const [id, name] of DEPENDENT) results.push(skipped(id, name, "credentials refused"));
    } else {
      results.push(...(await checkWriteReadDelete(ctx)));
      results.push(await checkCors(ctx, options.extraHeaders));
      results.push(await checkPreflight(ctx, options.extraHeaders));
      results.push(await checkPost(ctx));
      results.push(await checkChecksumEnforced(ctx));
      results.push(await checkPartChecksumEnforced(ctx));
      results.push(await checkChecksumsKept(ctx));
      results.push(await checkMultipartWriteOnce(ctx));
      results.push(await checkUnsignedAcl(ctx));
    }
    results.push(checkClock(ctx));
  }
  results.push(await checkLedger(setup.ledger));
  return results;
}
