// app/v1/[...path]/route.ts: Next.js passes the WHATWG Request with its full URL.
import { gateway } from "./gateway.js";

// The gateway's SQLite ledger needs Node, not the edge runtime.
export const runtime = "nodejs";

// Behind a proxy that sets x-forwarded-for (Vercel does), its first entry is the client.
const handle = (request: Request): Promise<Response> =>
  gateway.fetch(request, { clientIp: request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() });

export const GET = handle;
export const POST = handle;
export const DELETE = handle;
export const OPTIONS = handle;
