/** What useUpload returns about the files: their states, progress and the offers after a reload. */
import type { RouteInfo, UploadError, UploadRecord } from "../client/index.js";
import type { ResumeOffer } from "./offers.js";

export type FileState =
  | "queued"
  | "hashing"
  | "uploading"
  | "paused"
  | "verifying"
  | "done"
  | "failed"
  | "cancelled";

export interface UploadItem {
  /** Stable for the life of the page: a React key. */
  id: number;
  file: File;
  name: string;
  state: FileState;
  /** Bytes stored so far (resumed parts count from the start), of `total`. */
  loaded: number;
  total: number;
  /** 0 to 100. */
  percent: number;
  /** Bytes per second, smoothed; 0 when not sending. */
  rate: number;
  /** Seconds left at the current rate; undefined when not sending. */
  secondsLeft: number | undefined;
  /** In plain words ("notes.docx is too large: 12 MB, limit 10 MB"); set when state is "failed". */
  error?: string;
  /** The error itself, for code that branches on it. */
  cause?: UploadError;
  /** The verified upload; set when state is "done". */
  record?: UploadRecord;
}

export interface UploadTotals {
  loaded: number;
  total: number;
  percent: number;
  rate: number;
  secondsLeft: number | undefined;
}

export type UploadStatus = "idle" | "uploading" | "paused" | "done" | "failed";

export interface UploadSnapshot {
  status: UploadStatus;
  items: readonly UploadItem[];
  total: UploadTotals;
  offers: readonly ResumeOffer[];
  /** The route's rules from GET /v1/routes, once known. */
  route: RouteInfo | undefined;
  /** The latest thing worth telling a screen reader user; `seq` changes with each. */
  announcement: { text: string; seq: number };
}
