import { UpgateError } from "../../core/errors.js";
import { CredentialsError } from "./credentials/errors.js";
import { StorageError } from "./types.js";

/**
 * A failed storage call as the API reports it: unreachable, timing out or answering 5xx/429 is
 * STORAGE_UNAVAILABLE (503, worth retrying); any other refusal is STORAGE_ERROR (502). The
 * storage's own message stays in the log (as the cause), not in the answer.
 */
export function storageFailure(error: unknown): UpgateError {
  if (error instanceof UpgateError) return error;
  if (error instanceof CredentialsError) {
    return new UpgateError(
      "STORAGE_UNAVAILABLE",
      "The storage credentials could not be obtained; try again later",
      {
        cause: error,
      },
    );
  }
  if (error instanceof StorageError && error.status < 500 && error.status !== 429) {
    return new UpgateError("STORAGE_ERROR", `The storage refused the request (${error.code})`, {
      details: { storageCode: error.code, storageStatus: error.status },
      cause: error,
    });
  }
  return new UpgateError("STORAGE_UNAVAILABLE", "The storage could not be reached; try again later", {
    cause: error,
  });
}

export function isStorageCode(error: unknown, ...codes: string[]): error is StorageError {
  return error instanceof StorageError && codes.includes(error.code);
}
