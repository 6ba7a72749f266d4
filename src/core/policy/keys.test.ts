import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UpgateError } from "../errors.js";
import { safeSegment } from "./key-segment.js";
import { DEFAULT_KEY_TEMPLATE, renderKey, validateKeyTemplate } from "./keys.js";
import { isSafeKey } from "./s3-key.js";

const RANDOM = "abcdefghijklmnopqrstuvwxyz";

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UpgateError);
    expect((err as UpgateError).code).toBe("CONFIG_INVALID");
    return (err as UpgateError).message;
  }
  throw new Error("expected a CONFIG_INVALID error");
}

describe("validateKeyTemplate", () => {
  it.each([
    DEFAULT_KEY_TEMPLATE,
    "{random}",
    "uploads/{route}/{date}/{userId}/{random}{ext}",
    "{route}/{userId}/{uploadId}-{random}{ext}",
    "tenant-a/{userId}/{random}.bin",
  ])("accepts %j", (template) => {
    expect(() => validateKeyTemplate(template)).not.toThrow();
  });

  it.each([
    ["", "non-empty"],
    ["{route}/{userId}", "must contain {random}"],
    ["{route}/{name}/{random}", "unknown placeholder {name}"],
    ["{route}/{Random}", "unknown placeholder {Random}"],
    ["{route}/{random", 'unbalanced "{"'],
    ["{route}/random}", 'unbalanced "{"'],
    ["{route}/{{random}}", 'unbalanced "{"'],
    ["/{route}/{random}", 'start or end with "/"'],
    ["{route}/{random}/", 'start or end with "/"'],
    ["{route}//{random}", 'contain "//"'],
    ["{route}/../{random}", '".." segment'],
    ["{route}/./{random}", '"." segment'],
    ["{route}/{ext}/{random}", 'contain "//"'],
    ["{route}/.{ext}/{random}", '"." segment'],
    ["{ext}/{random}", 'start or end with "/"'],
    ["{route}\n/{random}", "control characters"],
    [`${"p/".repeat(500)}{random}`, "S3 allows 1024"],
    ["{userId}/{userId}/{userId}/{userId}/{userId}/{userId}/{userId}/{userId}/{random}", "S3 allows 1024"],
  ])("refuses %j (%s)", (template, why) => {
    expect(configError(() => validateKeyTemplate(template))).toContain(why);
  });
});

describe("renderKey", () => {
  const date = new Date("2025-03-07T23:59:59Z");

  it("renders the default template as route/user/random+ext", () => {
    expect(
      renderKey(DEFAULT_KEY_TEMPLATE, { route: "avatars", userId: "u1", ext: ".png", random: RANDOM }),
    ).toBe(`avatars/u1/${RANDOM}.png`);
    expect(renderKey(DEFAULT_KEY_TEMPLATE, { route: "docs", userId: "u1" })).toMatch(
      /^docs\/u1\/[a-z2-7]{26}$/,
    );
  });

  it("renders date (UTC) and uploadId", () => {
    const key = renderKey("{route}/{date}/{uploadId}/{userId}/{random}{ext}", {
      route: "r",
      userId: "bob@example.com",
      uploadId: "up_1",
      date,
      random: RANDOM,
      ext: ".pdf",
    });
    expect(key).toBe(`r/2025/03/07/up_1/bob%40example.com/${RANDOM}.pdf`);
  });

  it("makes user ids and route names path-safe", () => {
    const render = (userId: string, route = "files") =>
      renderKey(DEFAULT_KEY_TEMPLATE, { route, userId, random: RANDOM });
    expect(render("../../etc/passwd")).toBe(`files/..%2F..%2Fetc%2Fpasswd/${RANDOM}`);
    expect(render("..")).toBe(`files/%2E%2E/${RANDOM}`);
    expect(render(".")).toBe(`files/%2E/${RANDOM}`);
    expect(render("/")).toBe(`files/%2F/${RANDOM}`);
    expect(render("a", "..")).toBe(`%2E%2E/a/${RANDOM}`);
  });

  it.each([
    ["an empty user id", { route: "r", userId: "" }, "userId must be a non-empty string"],
    ["a user id that is not a string", { route: "r", userId: 42 }, "userId must be a non-empty string"],
    ["an empty route", { route: "", userId: "u" }, "route must be a non-empty string"],
    ["an ext with a slash", { route: "r", userId: "u", ext: "/../x" }, "ext must be"],
    ["an ext without a dot", { route: "r", userId: "u", ext: "png" }, "ext must be"],
    ["a short random part", { route: "r", userId: "u", random: "abc" }, "random part"],
    ["a random part outside base32", { route: "r", userId: "u", random: "0".repeat(26) }, "random part"],
  ])("refuses %s", (_what, vars, why) => {
    expect(configError(() => renderKey(DEFAULT_KEY_TEMPLATE, vars as never))).toContain(why);
  });

  it("needs an uploadId and a valid date only when the template uses them", () => {
    expect(configError(() => renderKey("{uploadId}/{random}", { route: "r", userId: "u" }))).toContain(
      "uploadId",
    );
    expect(
      configError(() =>
        renderKey("{date}/{random}", { route: "r", userId: "u", date: new Date(Number.NaN) }),
      ),
    ).toContain("not a valid Date");
    expect(
      renderKey("{random}", { route: "r", userId: "u", date: new Date(Number.NaN), random: RANDOM }),
    ).toBe(RANDOM);
  });

  it("refuses templates it has not validated, the same way", () => {
    expect(configError(() => renderKey("{route}/{userId}", { route: "r", userId: "u" }))).toContain(
      "{random}",
    );
    expect(configError(() => renderKey("{route}/{oops}/{random}", { route: "r", userId: "u" }))).toContain(
      "{oops}",
    );
  });

  it("never repeats a key in 10,000 draws", () => {
    const keys = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      keys.add(renderKey(DEFAULT_KEY_TEMPLATE, { route: "images", userId: "same-user", ext: ".png" }));
    }
    expect(keys.size).toBe(10_000);
  });
});

describe("renderKey with hostile user ids (property)", () => {
  const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
  const piece = fc.oneof(
    fc.constantFrom(
      "../",
      "..",
      ".",
      "/",
      "\\",
      "\u0000",
      "\r\n",
      "\u202e",
      "\u200f",
      "%2e%2e%2f",
      "~",
      "//",
      " ",
    ),
    fc.string({ unit: "binary", maxLength: 8 }),
    fc.string({ unit: anyUnit, maxLength: 8 }),
  );
  const hostile = fc.oneof(
    fc.array(piece, { minLength: 1, maxLength: 12 }).map((parts) => parts.join("")),
    fc.string({ unit: "binary", minLength: 1, maxLength: 200 }),
    fc.tuple(piece, fc.integer({ min: 9_000, max: 10_240 })).map(([p, n]) => `${p}${"../".repeat(n / 3)}`),
    fc.string({ unit: anyUnit, minLength: 10_000, maxLength: 10_240 }),
  );

  it("keeps every key inside {route}/{safe user}/ with no traversal segment", () => {
    fc.assert(
      fc.property(
        hostile.filter((s) => s !== ""),
        fc.constantFrom("", ".png", ".jpg"),
        (userId, ext) => {
          const key = renderKey(DEFAULT_KEY_TEMPLATE, { route: "avatars", userId, ext });
          const user = safeSegment(userId);
          expect(key.startsWith(`avatars/${user}/`)).toBe(true);
          expect(key.slice(`avatars/${user}/`.length)).toMatch(/^[a-z2-7]{26}(\.png|\.jpg)?$/);
          const segments = key.split("/");
          expect(segments).toHaveLength(3);
          for (const s of segments) expect(["", ".", ".."]).not.toContain(s);
          expect(isSafeKey(key)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keeps every key of a date-and-upload template safe as well", () => {
    fc.assert(
      fc.property(
        hostile.filter((s) => s !== ""),
        hostile.filter((s) => s !== ""),
        (userId, uploadId) => {
          const key = renderKey("p/{route}/{date}/{userId}/{uploadId}/{random}{ext}", {
            route: "r",
            userId,
            uploadId,
            ext: ".gz",
          });
          expect(key.split("/")).toHaveLength(8);
          expect(isSafeKey(key)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
