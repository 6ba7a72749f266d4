import { expect, it } from "vitest";
import { hs256Token, useLocalGateways } from "../../../test/support/local-gateway.js";
import type { KeyContext } from "../config/types.js";

const SECRET = "key-function-test-secret-0123456789abcdef";
const BODY = JSON.stringify({
  route: "images",
  files: [
    { name: "a.png", type: "image/png", size: 10 },
    { name: "b.jpg", type: "image/jpeg", size: 20 },
  ],
});

const gateway = useLocalGateways();

it("gives a route's key function the file, its index, the caller, the Request and the key's parts", async () => {
  const seen: KeyContext[] = [];
  const g = gateway({
    auth: { jwt: { secret: SECRET } },
    routes: {
      images: {
        types: ["image/png", "image/jpeg"],
        maxSize: "1MB",
        key: (ctx) => {
          seen.push(ctx);
          return `by-fn/${ctx.index}/${ctx.random}${ctx.ext}`;
        },
      },
    },
  });
  const token = await hs256Token(SECRET, "alice");
  const res = await g.fetch(
    new Request("http://gw.test/v1/uploads", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: BODY,
    }),
  );
  expect(res.status).toBe(201);
  const { uploads } = (await res.json()) as { uploads: Array<{ id: string; key: string }> };
  expect(seen.map((ctx) => Object.keys(ctx))).toEqual(
    Array(2).fill(["principal", "route", "file", "index", "request", "uploadId", "ext", "random"]),
  );
  seen.forEach((ctx, index) => {
    expect(ctx.index).toBe(index);
    expect(ctx.route).toBe("images");
    expect(ctx.principal.userId).toBe("alice");
    expect(ctx.file.name).toBe(index === 0 ? "a.png" : "b.jpg");
    expect(ctx.ext).toBe(index === 0 ? ".png" : ".jpg");
    expect(ctx.random).toMatch(/^[a-z2-7]{26}$/);
    expect(ctx.request.url).toBe("http://gw.test/v1/uploads");
    expect(ctx.request.method).toBe("POST");
    expect(uploads[index]).toMatchObject({ id: ctx.uploadId, key: `by-fn/${index}/${ctx.random}${ctx.ext}` });
  });
});
