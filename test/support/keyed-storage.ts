import type { StorageCredentials } from "../../src/server/storage/credentials/types.js";
import type { StorageConfig } from "../../src/server/storage/types.js";

/** A storage config with keys (not a provider or "aws"), for tests that pass the keys on elsewhere. */
export type KeyedStorageConfig = Omit<StorageConfig, "credentials"> & { credentials: StorageCredentials };
