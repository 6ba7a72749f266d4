import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { upgateCommand } from "./invocation.js";

describe("upgateCommand", () => {
  it("is npx upgate for an installed package", () => {
    expect(upgateCommand(join("/srv", "app", "node_modules", "upgate"))).toBe("npx upgate");
  });

  it("is npm run upgate -- in a clone, as this checkout is", () => {
    expect(upgateCommand(join("/home", "me", "upgate"))).toBe("npm run upgate --");
    expect(upgateCommand()).toBe("npm run upgate --");
  });
});
