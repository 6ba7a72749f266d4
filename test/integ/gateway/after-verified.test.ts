import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UploadCompleteContext } from "../../../src/server/config/types.js";
import { verifyWebhookSignature } from "../../../src/server/webhook/signature.js";
import {
  complete,
  createUpload,
  type Harness,
  memoryLogger,
  PNG_1X1,
  putWith,
  signToken,
  startGateway,
} from "./support.js";

const SECRET = "whsec_after_verified_0123456789";

interface Delivery {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A webhook receiver answering `status`, keeping what it received. */
async function receiver(
  status: number,
): Promise<{ url: string; deliveries: Delivery[]; close(): Promise<void> }> {
  const deliveries: Delivery[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      deliveries.push({ headers: req.headers, body });
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/upgate`,
    deliveries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("after verification: onUploadComplete and the webhook", () => {
  let ok: Awaited<ReturnType<typeof receiver>>;
  let failing: Awaited<ReturnType<typeof receiver>>;
  let h: Harness;
  const completed: UploadCompleteContext[] = [];
  const { logger, lines } = memoryLogger();
  beforeAll(async () => {
    ok = await receiver(204);
    failing = await receiver(400);
    h = await startGateway({
      logger,
      routes: {
        images: {
          types: ["image/png"],
          maxSize: "1MB",
          metadata: (principal) => ({ team: `team-of-${principal.userId}` }),
          onUploadComplete: (ctx) => {
            completed.push(ctx);
          },
          webhook: { url: ok.url, secret: SECRET },
        },
        refused: { types: ["image/png"], maxSize: "1MB", webhook: { url: failing.url, secret: SECRET } },
      },
    });
  });
  afterAll(async () => {
    await h.close();
    await ok.close();
    await failing.close();
  });

  it("calls the hook with the principal, record and metadata, and POSTs a signed event", async () => {
    const token = await signToken("alice");
    const put = (
      await createUpload(h, token, "images", { name: "a.png", type: "image/png", size: PNG_1X1.length })
    ).body.uploads[0];
    expect(put.headers["x-amz-meta-team"]).toBe("team-of-alice");
    await putWith(put, PNG_1X1);
    const done = await complete(h, token, put.id);
    expect(done.res.status).toBe(200);
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({
      completedBy: "client",
      principal: { userId: "alice", via: "jwt" },
      route: "images",
      upload: { id: put.id, status: "verified" },
      metadata: { team: "team-of-alice" },
    });

    await h.gateway.close();
    expect(ok.deliveries).toHaveLength(1);
    const [delivery] = ok.deliveries;
    const verification = await verifyWebhookSignature(
      SECRET,
      delivery!.headers["upgate-signature"] as string,
      delivery!.body,
    );
    expect(verification.ok).toBe(true);
    expect(completed[0]!.request).toBeInstanceOf(Request);
    expect(JSON.parse(delivery!.body)).toMatchObject({
      type: "upload.verified",
      completedBy: "client",
      upload: { id: put.id, status: "verified" },
    });
  });

  it("a refusing receiver is logged and never turns the verified upload into an error", async () => {
    const h2 = await startGateway({
      logger,
      routes: {
        refused: { types: ["image/png"], maxSize: "1MB", webhook: { url: failing.url, secret: SECRET } },
      },
    });
    try {
      const token = await signToken("bob");
      const put = (
        await createUpload(h2, token, "refused", { name: "a.png", type: "image/png", size: PNG_1X1.length })
      ).body.uploads[0];
      await putWith(put, PNG_1X1);
      expect((await complete(h2, token, put.id)).res.status).toBe(200);
    } finally {
      await h2.close();
    }
    expect(failing.deliveries).toHaveLength(1);
    const failure = lines.map((l) => JSON.parse(l)).find((l) => l.msg === "webhook delivery failed");
    expect(failure).toMatchObject({ status: 400, receiver: new URL(failing.url).origin });
    expect(JSON.stringify(failure)).not.toContain("/hooks/upgate");
  });
});
