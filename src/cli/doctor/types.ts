import type { S3Transport } from "../../server/s3/transport.js";
import type { StorageClient } from "../../server/s3/types.js";
import type { Setup } from "../config/setup.js";

export type CheckStatus = "pass" | "warn" | "fail" | "skip";

export interface CheckResult {
  id: string;
  name: string;
  status: CheckStatus;
  /** What was seen, one line. */
  detail: string;
  /** What to do about a failure or a warning, one line. */
  fix?: string;
}

export interface DoctorContext {
  setup: Setup;
  storage: StorageClient;
  transport: S3Transport;
  /** The `upgate cors apply ...` command that fixes this setup's bucket CORS. */
  corsFix: string;
  /** The storage's Date header and the local time it was read at (the middle of the exchange). */
  clock?: { remote: number; local: number };
}

/** Probe objects live under this prefix, outside every route's keys. */
export const PROBE_PREFIX = ".upgate-doctor/";

export const result = (
  id: string,
  name: string,
  status: CheckStatus,
  detail: string,
  fix?: string,
): CheckResult => ({ id, name, status, detail, ...(fix === undefined ? {} : { fix }) });
