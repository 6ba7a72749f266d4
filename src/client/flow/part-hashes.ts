import { hashPart } from "../hash/hash-part.js";
import { readFailure } from "../read-error.js";
import type { FlowContext } from "./context.js";
import { type MultipartPlan, partStart } from "./plan.js";

/**
 * Each part's SHA-256, computed in part order ahead of the uploads: one part at a time with
 * WebCrypto (native, the part read once with File.slice and dropped after), so hashing never holds
 * more than one part and never waits for the network. `get(n)` resolves when part n is hashed.
 */
export class PartHashes {
  private readonly results: Array<Promise<string>> = [];
  private readonly settle: Array<{ resolve: (v: string) => void; reject: (e: unknown) => void }> = [];

  constructor(
    private readonly ctx: FlowContext,
    private readonly blob: Blob,
    private readonly plan: MultipartPlan,
  ) {
    for (let i = 0; i < plan.sizes.length; i++) {
      this.results.push(
        new Promise<string>((resolve, reject) => {
          this.settle.push({ resolve, reject });
        }),
      );
      this.results[i]!.catch(() => {});
    }
  }

  /** Starts hashing from part 1; every part's promise settles (a failure rejects it and the rest). */
  start(): this {
    void this.run();
    return this;
  }

  get(partNumber: number): Promise<string> {
    return this.results[partNumber - 1]!;
  }

  private async run(): Promise<void> {
    let n = 0;
    try {
      for (; n < this.plan.sizes.length; n++) {
        await this.ctx.control.gate();
        const start = partStart(this.plan, n + 1);
        const part = this.blob.slice(start, start + this.plan.sizes[n]!);
        this.settle[n]!.resolve(await hashPart(part, this.ctx.control.signal));
      }
    } catch (err) {
      const error = readFailure(err);
      for (; n < this.settle.length; n++) this.settle[n]!.reject(error);
    }
  }
}
