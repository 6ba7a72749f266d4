import { describe, expect, it } from "vitest";
import { downloadName } from "./download-name.js";

describe("downloadName", () => {
  it.each([
    ["update.hta", "text/plain", "update.hta.txt"],
    ["page.html", "image/png", "page.html.png"],
    ["photo.png", "image/png", "photo.png"],
    ["PHOTO.PNG", "image/png", "PHOTO.PNG"],
    ["photo.jpeg", "image/jpeg", "photo.jpeg"],
    ["photo.jpg", "image/jpeg", "photo.jpg"],
    ["photo", "image/jpeg", "photo.jpg"],
    ["notes.txt", "text/plain", "notes.txt"],
    ["index.htm", "text/html", "index.htm"],
    ["payload.svg", "text/html", "payload.svg.html"],
    ["a.hta.", "text/plain", "a.hta.txt"],
    ["a.png . .", "image/png", "a.png"],
    ["...", "image/png", "download.png"],
    [".png", "image/png", ".png.png"],
    ["run.exe", "application/octet-stream", "run.exe.bin"],
    ["data.bin", "application/octet-stream", "data.bin"],
    ["model.glb", "model/gltf-binary", "model.glb.bin"],
  ])("%s verified as %s downloads as %s", (name, type, expected) => {
    expect(downloadName(name, type)).toBe(expected);
  });
});
