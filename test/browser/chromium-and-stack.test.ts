/** The shared beforeAll/afterAll pair of the browser tests: what it opens it closes, the browser first, whatever fails. */
import { afterAll, describe, expect, it } from "vitest";
import { describeInChromium, launchChromium } from "./support/chromium.js";
import { type Closable, closeInOrder, openBoth, withBrowserAndStack } from "./support/chromium-and-stack.js";

/** A browser or stack stand-in that notes, in `events`, its closing (and fails it when told to). */
function closable(name: string, events: string[], closeFails = false): Closable & { name: string } {
  return {
    name,
    async close() {
      events.push(`close ${name}`);
      if (closeFails) throw new Error(`${name} would not close`);
    },
  };
}

function opener<T>(events: string[], name: string, make: () => T): () => Promise<T> {
  return async () => {
    events.push(`open ${name}`);
    return make();
  };
}

const refuse = (message: string) => () => Promise.reject(new Error(message));

describe("withBrowserAndStack", () => {
  const events: string[] = [];
  // Registered before the pair's hooks, so it runs after its afterAll.
  afterAll(() => {
    expect(events).toEqual(["open browser", "open stack", "close browser", "close stack"]);
  });
  const suite = withBrowserAndStack(
    opener(events, "browser", () => closable("browser", events)),
    opener(events, "stack", () => closable("stack", events)),
  );
  let beforeHooks: unknown;
  try {
    void suite.browser;
  } catch (error) {
    beforeHooks = error;
  }

  it("gives the browser and the stack that beforeAll opened, and refuses them before it ran", () => {
    expect([suite.browser.name, suite.stack.name]).toEqual(["browser", "stack"]);
    expect(events).toEqual(["open browser", "open stack"]);
    expect(String(beforeHooks)).toContain("beforeAll has not run");
  });
});

describe("openBoth", () => {
  it("closes the browser when the stack fails to start, and throws the stack's error", async () => {
    const events: string[] = [];
    const opening = openBoth(
      opener(events, "browser", () => closable("browser", events)),
      refuse("no stack"),
    );
    await expect(opening).rejects.toThrow("no stack");
    expect(events).toEqual(["open browser", "close browser"]);
  });

  it("closes the stack when the browser fails to launch, and throws the launch error", async () => {
    const events: string[] = [];
    const opening = openBoth(
      refuse("no browser"),
      opener(events, "stack", () => closable("stack", events)),
    );
    await expect(opening).rejects.toThrow("no browser");
    expect(events).toEqual(["open stack", "close stack"]);
  });

  it("throws the launch error when both fail", async () => {
    await expect(openBoth(refuse("no browser"), refuse("no stack"))).rejects.toThrow("no browser");
  });

  it("throws the start error, not the close error, when closing the other fails too", async () => {
    const events: string[] = [];
    const opening = openBoth(
      opener(events, "browser", () => closable("browser", events, true)),
      refuse("no stack"),
    );
    await expect(opening).rejects.toThrow("no stack");
    expect(events).toEqual(["open browser", "close browser"]);
  });
});

describe("closeInOrder", () => {
  it("closes the stack even when the browser will not close, then throws that", async () => {
    const events: string[] = [];
    const closing = closeInOrder(closable("browser", events, true), closable("stack", events));
    await expect(closing).rejects.toThrow("browser would not close");
    expect(events).toEqual(["close browser", "close stack"]);
  });
});

describeInChromium("openBoth with Chromium", () => {
  it("leaves no Chromium running when the stack fails to start", async () => {
    let launched: Awaited<ReturnType<typeof launchChromium>> | undefined;
    const launch = async () => {
      launched = await launchChromium();
      return launched;
    };
    await expect(openBoth(launch, refuse("no stack"))).rejects.toThrow("no stack");
    expect(launched?.isConnected()).toBe(false);
  });
});
