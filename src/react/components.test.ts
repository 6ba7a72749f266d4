import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { UploadButton } from "./button.js";
import { UploadDropzone } from "./dropzone.js";
import type { UseUploadResult } from "./use-upload.js";

const noop = () => {};

function upload(change: Partial<UseUploadResult> = {}): UseUploadResult {
  return {
    status: "idle",
    items: [],
    total: { loaded: 0, total: 0, percent: 0, rate: 0, secondsLeft: undefined },
    offers: [],
    route: undefined,
    announcement: { text: "", seq: 0 },
    add: noop,
    pause: noop,
    resume: noop,
    cancel: noop,
    retry: noop,
    clear: noop,
    resumeOffer: async () => undefined,
    dismissOffer: async () => {},
    accept: "image/png,.png",
    rules: "PNG image; up to 10 MB",
    ...change,
  };
}

describe("UploadDropzone", () => {
  it("is a native button described by the route's rules, with data-state, a picker and a live region", () => {
    const html = renderToStaticMarkup(createElement(UploadDropzone, { upload: upload(), className: "zone" }));
    const id = html.match(/aria-describedby="([^"]+)"/)![1];
    expect(html).toContain(`<button type="button" class="zone" data-state="idle" aria-describedby="${id}">`);
    expect(html).toContain("Drop files here, or press Enter to choose files");
    expect(html).toContain(`<span id="${id}" style="`);
    expect(html).toContain(">PNG image; up to 10 MB</span>");
    expect(html).toContain(
      '<input type="file" hidden="" tabindex="-1" aria-hidden="true" multiple="" accept="image/png,.png"/>',
    );
    expect(html).toMatch(/<div role="status" aria-live="polite" style="[^"]+"><\/div>$/);
  });

  it("renders its children as a function of the state, and announces the latest news", () => {
    const html = renderToStaticMarkup(
      createElement(UploadDropzone, {
        upload: upload({ status: "uploading", announcement: { text: "a.png: 50% uploaded", seq: 3 } }),
        // biome-ignore lint/correctness/noChildrenProp: a render prop is a function, which createElement's children are not typed to be.
        children: ({ state, dragging }) => `state ${state}, dragging ${dragging}`,
      }),
    );
    expect(html).toContain('data-state="uploading"');
    expect(html).toContain("state uploading, dragging false");
    expect(html).toContain(">a.png: 50% uploaded</div>");
  });

  it("disabled, single file, no live region", () => {
    const html = renderToStaticMarkup(
      createElement(UploadDropzone, {
        upload: upload({ rules: "" }),
        disabled: true,
        single: true,
        announce: false,
      }),
    );
    expect(html).toContain('<button type="button" disabled="" data-state="disabled">');
    expect(html).not.toContain("multiple");
    expect(html).not.toContain("aria-describedby");
    expect(html).not.toContain('role="status"');
  });
});

describe("UploadButton", () => {
  it("says what is happening by default", () => {
    const at = (status: UseUploadResult["status"], percent: number) =>
      renderToStaticMarkup(
        createElement(UploadButton, {
          upload: upload({
            status,
            total: { loaded: 0, total: 0, percent, rate: 0, secondsLeft: undefined },
          }),
        }),
      );
    expect(at("idle", 0)).toContain('data-state="idle" title="PNG image; up to 10 MB">Choose files</button>');
    expect(at("uploading", 42.7)).toContain(
      'data-state="uploading" title="PNG image; up to 10 MB">Uploading 42%</button>',
    );
    expect(at("paused", 42.7)).toContain(">Paused at 42%</button>");
    expect(at("failed", 100)).toContain('data-state="failed"');
  });

  it("takes a render prop", () => {
    const html = renderToStaticMarkup(
      createElement(UploadButton, {
        upload: upload({ status: "done" }),
        // biome-ignore lint/correctness/noChildrenProp: as above.
        children: ({ state }) => `[${state}]`,
      }),
    );
    expect(html).toContain(">[done]</button>");
  });
});
