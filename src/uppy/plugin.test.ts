import Uppy from "@uppy/core";
import { describe, expect, it } from "vitest";
import { FakeUploadTask } from "../../test/support/fake-upload-task.js";
import { routeInfo } from "../../test/support/route-info.js";
import { type RouteInfo, UploadError, type Uploader, type UploadOptions } from "../client/index.js";
import { Upgate } from "./plugin.js";

const ROUTE = routeInfo({
  name: "documents",
  label: "Documents",
  types: [
    { type: "application/pdf", label: "PDF document", extensions: [".pdf"] },
    {
      type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      label: "Word document",
      extensions: [".docx"],
    },
  ],
  maxSize: 1000,
  maxFiles: 3,
});

function setup(options: { route?: string; limit?: number; routes?: () => Promise<RouteInfo[]> } = {}) {
  const tasks: FakeUploadTask[] = [];
  const uploader = {
    start(file: File, upload: UploadOptions) {
      const task = new FakeUploadTask(file, upload);
      tasks.push(task);
      return task;
    },
    getRoutes: options.routes ?? (async () => [ROUTE]),
    fileUrl: (id: string) => `https://gateway.test/v1/files/${id}`,
  } as unknown as Uploader;
  const uppy = new Uppy();
  uppy.use(Upgate, { route: options.route ?? "documents", uploader, limit: options.limit ?? 2 });
  const plugin = uppy.getPlugin("Upgate") as unknown as Upgate;
  const events: string[] = [];
  uppy.on("upload-error", (file, error) => events.push(`error ${file?.name}: ${error.message}`));
  uppy.on("upload-success", (file) => events.push(`success ${file?.name}`));
  return { uppy, plugin, tasks, events };
}

const add = (uppy: Uppy, name: string, size = 100, type = "application/pdf") =>
  uppy.addFile({ name, type, data: new File([new Uint8Array(size)], name, { type, lastModified: 5 }) });
const until = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 1));
  expect(check()).toBe(true);
};

describe("Upgate, the Uppy uploader plugin", () => {
  it("applies the route's rules as Uppy's restrictions: a .docx with no type passes, a bigger file or another type does not", async () => {
    const { uppy, plugin } = setup();
    expect(await plugin.ready).toEqual(ROUTE);
    expect(plugin.getPluginState().route).toEqual(ROUTE);
    expect(uppy.opts.restrictions.maxFileSize).toBe(1000);
    expect(uppy.opts.restrictions.maxNumberOfFiles).toBe(3);
    expect(() => add(uppy, "notes.docx", 10, "")).not.toThrow();
    expect(() => add(uppy, "big.pdf", 1001)).toThrow(/exceeds maximum allowed size of 1000 B/);
    expect(() => add(uppy, "tool.exe", 10, "application/x-msdownload")).toThrow(/You can only upload/);
    expect(uppy.getState().capabilities.resumableUploads).toBe(true);
  });

  it("says why when the route is not among the caller's, and leaves the restrictions alone", async () => {
    const { uppy, plugin } = setup({ route: "videos" });
    expect(await plugin.ready).toBeUndefined();
    expect(plugin.getPluginState().routeError).toBe('the route "videos" is not one this user may upload to');
    expect(uppy.opts.restrictions.maxFileSize).toBeNull();
  });

  it("uploads each file through the client, reporting hashing, progress and the verified record", async () => {
    const { uppy, tasks, events } = setup();
    const id = add(uppy, "report.pdf");
    const result = uppy.upload();
    await until(() => tasks.length === 1);
    expect(tasks[0]!.options.route).toBe("documents");
    expect([tasks[0]!.file.name, tasks[0]!.file.lastModified]).toEqual(["report.pdf", 5]);
    tasks[0]!.progress({ phase: "hashing", hashed: 50, loaded: 0 });
    expect(uppy.getFile(id).progress.preprocess).toEqual({
      mode: "determinate",
      message: "Checking the file",
      value: 0.5,
    });
    tasks[0]!.progress({ loaded: 40 });
    expect(uppy.getFile(id).progress.preprocess).toBeUndefined();
    expect([uppy.getFile(id).progress.bytesUploaded, uppy.getFile(id).progress.percentage]).toEqual([40, 40]);
    tasks[0]!.finish();
    const done = await result;
    expect(done?.successful?.map((f) => f.name)).toEqual(["report.pdf"]);
    const file = uppy.getFile(id);
    expect(file.progress.uploadComplete).toBe(true);
    expect(file.response?.body).toEqual({ id: "id-report.pdf", name: "report.pdf", status: "verified" });
    expect(file.uploadURL).toBe("https://gateway.test/v1/files/id-report.pdf");
    expect(events).toEqual(["success report.pdf"]);
  });

  it("reports a refusal with the client's plain-language message", async () => {
    const { uppy, tasks, events } = setup();
    const id = add(uppy, "fake.pdf");
    const result = uppy.upload();
    await until(() => tasks.length === 1);
    tasks[0]!.fail(
      new UploadError("GATEWAY", "content mismatch", {
        serverCode: "VERIFY_CONTENT_MISMATCH",
        status: 422,
        file: "fake.pdf",
      }),
    );
    const done = await result;
    expect(done?.failed?.map((f) => f.name)).toEqual(["fake.pdf"]);
    expect(uppy.getFile(id).error).toBe(
      "fake.pdf: the file's content does not match its type, so it was rejected",
    );
    expect(events).toEqual([
      "error fake.pdf: fake.pdf: the file's content does not match its type, so it was rejected",
    ]);
  });

  it("maps Uppy's pause, resume, pause-all and resume-all onto the task", async () => {
    const { uppy, tasks } = setup();
    const id = add(uppy, "a.pdf");
    const result = uppy.upload();
    await until(() => tasks.length === 1);
    expect(uppy.pauseResume(id)).toBe(true);
    expect(uppy.pauseResume(id)).toBe(false);
    uppy.pauseAll();
    uppy.resumeAll();
    expect(tasks[0]!.calls).toEqual(["pause", "resume", "pause", "resume"]);
    tasks[0]!.finish();
    await result;
  });

  it("aborts the task of a removed file (the client deletes its upload) and reports no error", async () => {
    const { uppy, tasks, events } = setup();
    const a = add(uppy, "a.pdf");
    add(uppy, "b.pdf");
    const result = uppy.upload();
    await until(() => tasks.length === 2);
    uppy.removeFile(a);
    expect(tasks[0]!.calls).toEqual(["abort"]);
    tasks[1]!.finish();
    await result;
    expect(events).toEqual(["success b.pdf"]);
    uppy.cancelAll();
    expect(tasks[1]!.calls).toEqual([]);
  });

  it("uploads `limit` files at a time, and skips files already uploaded", async () => {
    const { uppy, tasks } = setup({ limit: 1 });
    add(uppy, "a.pdf");
    add(uppy, "b.pdf");
    const result = uppy.upload();
    await until(() => tasks.length === 1);
    await new Promise((r) => setTimeout(r, 10));
    expect(tasks.length).toBe(1);
    tasks[0]!.finish();
    await until(() => tasks.length === 2);
    tasks[1]!.finish();
    await result;
    await uppy.upload();
    expect(tasks.length).toBe(2);
  });

  it("gives the client a File for a Blob Uppy restored (name and type kept, a date that stays the same)", async () => {
    const { uppy, tasks } = setup();
    const id = uppy.addFile({
      name: "kept.pdf",
      type: "application/pdf",
      data: new Blob([new Uint8Array(9)]),
    });
    const result = uppy.upload();
    await until(() => tasks.length === 1);
    const sent = tasks[0]!.file;
    expect([sent instanceof File, sent.name, sent.type, sent.lastModified, sent.size]).toEqual([
      true,
      "kept.pdf",
      "application/pdf",
      0,
      9,
    ]);
    tasks[0]!.finish();
    await result;
    expect(uppy.getFile(id).progress.uploadComplete).toBe(true);
  });

  it("refuses a file whose content a reload did not keep, saying to add it again", async () => {
    const { uppy, tasks, events } = setup();
    const id = add(uppy, "ghost.pdf");
    uppy.setFileState(id, { isGhost: true, data: undefined } as never);
    await uppy.upload();
    expect(tasks).toEqual([]);
    expect(events).toEqual([
      "error ghost.pdf: ghost.pdf: its content was not kept over the reload: add the file again",
    ]);
  });

  it("retries a failed file as a new upload through the client (which resumes what storage holds)", async () => {
    const { uppy, tasks, events } = setup();
    const id = add(uppy, "flaky.pdf");
    const first = uppy.upload();
    await until(() => tasks.length === 1);
    tasks[0]!.fail(new UploadError("NETWORK", "network error", { retryable: true, file: "flaky.pdf" }));
    await first;
    expect(uppy.getFile(id).error).toMatch(/^flaky\.pdf: network connection lost/);
    const retried = uppy.retryUpload(id);
    await until(() => tasks.length === 2);
    expect(tasks[1]!.file.name).toBe("flaky.pdf");
    tasks[1]!.finish();
    expect((await retried)?.successful?.map((f) => f.name)).toEqual(["flaky.pdf"]);
    expect(uppy.getFile(id).error).toBeNull();
    expect(events.at(-1)).toBe("success flaky.pdf");
  });

  it("cancels the uploads still running when Uppy is destroyed", async () => {
    const { uppy, tasks } = setup();
    add(uppy, "a.pdf");
    void uppy.upload();
    await until(() => tasks.length === 1);
    uppy.destroy();
    expect(tasks[0]!.calls).toEqual(["abort"]);
  });

  it("needs a route and an uploader", () => {
    expect(() => new Uppy().use(Upgate, { route: "" } as never)).toThrow("Upgate needs { route }");
    expect(() => new Uppy().use(Upgate, { route: "x" })).toThrow("Upgate needs { uploader } or { client }");
  });
});
