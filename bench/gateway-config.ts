/** What both bench:gateway servers and the load share: the request, the storage target, the JWT secret. */

export type GatewayTarget = "ours" | "baseline" | "floor";

/** Sent by a server process over IPC once it listens. */
export interface ReadyMessage {
  ready: true;
  url: string;
}

export const JWT_SECRET = "bench-gateway-jwt-secret-0123456789abcdef";
/** Distinct users the load rotates through, so quotas are per user as in production. */
export const USERS = 1000;
export const ROUTE = "images";
export const ALLOWED_TYPES = ["image/png", "image/jpeg", "image/webp"];

/** Signing is local: neither server contacts storage to answer POST /v1/uploads with a PUT URL. */
export const STORAGE = {
  endpoint: "http://127.0.0.1:9000",
  region: "us-east-1",
  bucket: "bench-uploads",
  credentials: {
    accessKeyId: "AKIDBENCHGATEWAY0001",
    secretAccessKey: "bench-gateway-secret-key/0123456789abcd",
  },
};

/** The create request both servers get: one 120 KiB PNG, in upgate's wire format. */
export const CREATE_BODY = JSON.stringify({
  route: ROUTE,
  files: [{ name: "cat.png", type: "image/png", size: 122_880 }],
});
