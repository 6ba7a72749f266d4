import { beforeAll, expect, it } from "vitest";
import { ledgerRows } from "./support/checks.js";
import { describeInChromium } from "./support/chromium.js";
import { withChromiumAndStack } from "./support/chromium-and-stack.js";
import { docxFile } from "./support/files.js";
import { card, cardStatus, chooseRoute, type DemoPage, dropFiles, openDemo } from "./support/page.js";
import { startTestStack } from "./support/stack.js";

const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

describeInChromium("the demo page: a .docx the browser gave no type", () => {
  const suite = withChromiumAndStack(() => startTestStack());
  let demo: DemoPage;
  const docx = docxFile();

  beforeAll(async () => {
    demo = await openDemo(suite.browser, suite.stack, "wes");
  });

  it("is declared as Word from its extension, and the gateway verifies it from its bytes", async () => {
    const { page } = demo;
    await chooseRoute(page, "Documents");
    await dropFiles(page, [{ name: "notes.docx", type: "", bytes: docx }]);
    await expect
      .poll(() => cardStatus(page, "notes.docx").textContent(), { timeout: 60_000 })
      .toBe("Uploaded and verified");
    expect(await card(page, "notes.docx").locator(".stats").textContent()).toContain(DOCX);
    const [row] = await ledgerRows(suite.stack, "wes");
    expect(row).toMatchObject({ name: "notes.docx", status: "verified", declaredType: DOCX });
    expect(demo.errors).toEqual([]);
  });

  it("a route that refuses it names the type it was taken for, never contradicting itself", async () => {
    const { page } = demo;
    await chooseRoute(page, "Images");
    await dropFiles(page, [{ name: "report.docx", type: "", bytes: docx }]);
    await expect
      .poll(() => cardStatus(page, "report.docx").textContent())
      .toBe("report.docx is Word (.docx), not an allowed type for Images (allowed: PNG, JPEG, WebP, GIF)");
  });

  it("an empty type with an unknown extension stays binary data and is refused in those words", async () => {
    const { page } = demo;
    await chooseRoute(page, "Documents");
    await dropFiles(page, [{ name: "data.xyz", type: "", bytes: docx }]);
    await expect
      .poll(() => cardStatus(page, "data.xyz").textContent())
      .toMatch(/^data\.xyz is binary data \(application\/octet-stream\), not an allowed type for Documents/);
  });
});
