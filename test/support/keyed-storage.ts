import type { StorageCredentials } from "../../src/server/s3/credentials/types.js";
import type { StorageConfig } from "../../src/server/s3/types.js";

/** A storage config with keys (not a provider or "aws"), for tests that pass the keys on elsewhere. */
export type KeyedStorageConfig = Omit<StorageConfig, "credentials"> & { credentials: StorageCredentials };
