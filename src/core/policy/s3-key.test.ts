import { describe, expect, it } from "vitest";
import { isSafeKey, s3KeyProblem } from "./s3-key.js";

describe("s3KeyProblem", () => {
  it.each([
    "a",
    "avatars/user-1/abc.png",
    "dir/file.tar.gz",
    "ünïcödé/文件",
    "...",
    ".hidden/x",
    "a".repeat(1024),
    "é".repeat(512),
  ])("accepts %j", (key) => {
    expect(s3KeyProblem(key)).toBeUndefined();
    expect(isSafeKey(key)).toBe(true);
  });

  it.each([
    ["", "empty"],
    ["/a", 'start or end with "/"'],
    ["a/", 'start or end with "/"'],
    ["a//b", 'contain "//"'],
    [".", '"." segment'],
    ["a/./b", '"." segment'],
    ["..", '".." segment'],
    ["a/../b", '".." segment'],
    ["a\u0000b", "control characters"],
    ["a\nb", "control characters"],
    ["a\u007fb", "control characters"],
    ["a\u0085b", "control characters"],
    ["a\ud800b", "lone surrogate"],
    ["a".repeat(1025), "1024 bytes"],
    ["é".repeat(513), "1024 bytes"],
  ])("refuses %j (%s)", (key, why) => {
    expect(s3KeyProblem(key)).toContain(why);
    expect(isSafeKey(key)).toBe(false);
  });
});
