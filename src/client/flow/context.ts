import type { RouteChecksumAlgorithm } from "../../core/protocol.js";
import type { Control } from "../control.js";
import type { FileEntry } from "../files.js";
import type { GatewayClient } from "../gateway/client.js";
import type { ProgressTracker } from "../progress/tracker.js";
import type { RetryOptions } from "../retry/backoff.js";
import type { RetryInfo } from "../retry/with-retry.js";
import type { StateStore } from "../state/types.js";
import type { Transport } from "../transport/types.js";

/** Everything one upload task's flows share. */
export interface FlowContext {
  gateway: GatewayClient;
  transport: Transport;
  control: Control;
  retry: RetryOptions;
  /** Parts in flight per file. */
  concurrency: number;
  /** Sign each part's checksum into its URL (storage then refuses other bytes). */
  partChecksums: boolean;
  /** The route's checksum algorithm, from GET /v1/routes (sha256 when the gateway does not say). */
  checksumAlgorithm: () => Promise<RouteChecksumAlgorithm>;
  stallTimeoutMs: number | undefined;
  state: StateStore;
  route: string;
  onRetry: ((info: RetryInfo & { file: string }) => void) | undefined;
  /** Test seams for the backoff. */
  random: (() => number) | undefined;
  sleep: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
}

/** One file of a task, as it goes through hashing, signing, sending and completing. */
export interface FileJob {
  index: number;
  entry: FileEntry;
  tracker: ProgressTracker;
  /** The algorithm this file is hashed with: the route's, and then its upload's. */
  algorithm: RouteChecksumAlgorithm;
  /** The whole file's base64 checksum in `algorithm`, when hashed before create. */
  checksum: string | undefined;
  resumeKey: string | undefined;
  /** The gateway upload id, once created or resumed. */
  id: string | undefined;
  multipart: boolean;
  completed: boolean;
  /** This file's own upload failed (not a sibling's). */
  failed: boolean;
}
