import { blobChecksum, checksumConcurrency } from "../hash/part-checksum.js";
import { readFailure } from "../read-error.js";
import type { FlowContext } from "./context.js";
import { type MultipartPlan, partStart } from "./plan.js";
import { runPool } from "./pool.js";

/**
 * Each part's checksum in the plan's algorithm, computed in part order ahead of the uploads, so
 * hashing never waits for the network. SHA-256: one part at a time with WebCrypto (native, the
 * part read once with File.slice and dropped after). CRCs: a few parts at once, each in a Worker
 * that reads its part itself. `get(n)` resolves when part n is hashed.
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
    const { algorithm, sizes } = this.plan;
    const settled = new Set<number>();
    const numbers = sizes.map((_, i) => i + 1);
    try {
      await runPool(numbers, checksumConcurrency(algorithm), async (n) => {
        await this.ctx.control.gate();
        const start = partStart(this.plan, n);
        const part = this.blob.slice(start, start + sizes[n - 1]!);
        this.settle[n - 1]!.resolve(await blobChecksum(algorithm, part, this.ctx.control.signal));
        settled.add(n);
      });
    } catch (err) {
      const error = readFailure(err);
      for (const n of numbers) if (!settled.has(n)) this.settle[n - 1]!.reject(error);
    }
  }
}
