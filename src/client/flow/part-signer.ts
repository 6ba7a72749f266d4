import type { PartInstruction, PartsResponse } from "../../core/protocol.js";
import { UploadError } from "../errors.js";
import type { FlowContext } from "./context.js";
import type { MultipartPlan } from "./plan.js";

/** URLs this close to expiry are re-signed before use rather than tried and refused. */
export const EXPIRY_MARGIN_MS = 30_000;

/** Parts signed per POST /v1/uploads/:id/parts: one round trip (and one CORS preflight) per window, not per part. */
export const SIGN_WINDOW = 16;

export interface SignedPart {
  instruction: PartInstruction;
  expiresAt: number;
}

/**
 * Part URLs that bind each part's checksum (x-amz-checksum-<the plan's algorithm>), signed in
 * windows: asking for part n also signs the
 * next parts (up to SIGN_WINDOW) whose hashes are known and which still need a URL, so a part
 * usually finds its URL ready. Concurrent asks for a part in flight share its request.
 */
export class PartSigner {
  private readonly signed = new Map<number, Promise<SignedPart>>();

  constructor(
    private readonly ctx: FlowContext,
    private readonly plan: MultipartPlan,
    /** A part's checksum when already known (undefined: not hashed yet). */
    private readonly known: (partNumber: number) => string | undefined,
    /** Parts that will be uploaded and have no URL yet, in order. */
    private readonly upcoming: () => readonly number[],
  ) {}

  /** A URL for part n binding `checksum`; `fresh` forces a new signature (expired or refused as expired). */
  get(partNumber: number, checksum: string, fresh = false): Promise<SignedPart> {
    const cached = this.signed.get(partNumber);
    if (cached && !fresh) {
      return cached.then((s) =>
        s.expiresAt - Date.now() < EXPIRY_MARGIN_MS ? this.get(partNumber, checksum, true) : s,
      );
    }
    const batch = [partNumber];
    for (const n of this.upcoming()) {
      if (batch.length >= SIGN_WINDOW) break;
      if (n !== partNumber && !this.signed.has(n) && this.known(n) !== undefined) batch.push(n);
    }
    const checksums: Record<string, string> = { [String(partNumber)]: checksum };
    for (const n of batch.slice(1)) checksums[String(n)] = this.known(n)!;
    // Not retried here: a failure fails each part's attempt, and each part's own retry asks again.
    const request = this.ctx.gateway.parts(this.plan.id, {
      partNumbers: batch,
      [this.plan.algorithm]: checksums,
    });
    for (const n of batch) {
      const one = request.then((response) => pick(response, n));
      one.catch(() => {
        if (this.signed.get(n) === one) this.signed.delete(n);
      });
      this.signed.set(n, one);
    }
    return this.signed.get(partNumber)!;
  }
}

function pick(response: PartsResponse, partNumber: number): SignedPart {
  const instruction = response.parts?.find((p) => p.partNumber === partNumber);
  if (!instruction) {
    throw new UploadError("GATEWAY", `the upload server returned no URL for part ${partNumber}`, {
      retryable: true,
    });
  }
  return { instruction, expiresAt: Date.parse(response.expiresAt) };
}
