import { describe } from "vitest";
import { bucketContract } from "./buckets.contract.js";
import { conditionsContract } from "./conditions.contract.js";
import { listingContract } from "./listing.contract.js";
import { multipartContract } from "./multipart.contract.js";
import { objectContract } from "./objects.contract.js";
import { type BackendFactory, useBackend } from "./support.js";

export type { BackendFactory } from "./support.js";

/** The behaviour every StorageBackend must have; `factory` gives a fresh backend (init is called here). */
export function defineBackendContract(name: string, factory: BackendFactory): void {
  describe(`${name} backend contract`, () => {
    const harness = useBackend(factory);
    bucketContract(harness);
    objectContract(harness);
    listingContract(harness);
    conditionsContract(harness);
    multipartContract(harness);
  });
}
