/** What the fault tests' gateway child is started with (JSON in UPGATE_FAULT_GATEWAY), and its routes. */
import type { RouteConfig } from "../../src/server/config/types.js";

export type ChildLedger =
  | { kind: "sqlite"; path: string }
  | { kind: "postgres"; url: string; schema: string };

export interface ChildConfig {
  storeUrl: string;
  bucket: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  ledger: ChildLedger;
  jwtSecret: string;
  graceSeconds: number;
  routes: Record<string, RouteConfig>;
}

export const FAULT_BUCKET = "fault-bucket";
export const FAULT_REGION = "us-east-1";
export const FAULT_CREDENTIALS = {
  accessKeyId: "AKIDFAULTTEST0000001",
  secretAccessKey: "fault-test-secret/0123456789abcdef",
};
export const FAULT_JWT_SECRET = "fault-test-jwt-secret-0123456789abcdef";
export const MiB = 1024 * 1024;
/** Each user's byte quota on every route: large enough never to refuse the workload, finite so it is probed (under maxSize, so one byte over is a quota refusal). */
export const QUOTA_BYTES = 64 * MiB;

/** "files": one signed PUT each; "parts": a multipart upload (one part at these sizes). */
export const FAULT_ROUTES: Record<string, RouteConfig> = {
  files: {
    types: ["application/octet-stream"],
    maxSize: "128MB",
    maxFiles: 4,
    strategy: "put",
    sniff: false,
    quota: { bytes: QUOTA_BYTES },
  },
  parts: {
    types: ["application/octet-stream"],
    maxSize: "128MB",
    maxFiles: 4,
    strategy: "multipart",
    sniff: false,
    quota: { bytes: QUOTA_BYTES },
  },
};
