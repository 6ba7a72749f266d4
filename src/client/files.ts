import { UploadError } from "./errors.js";

/** A file to upload: a File (browsers, Node 20), or any Blob (named "blob"). */
export type UploadInput = Blob | File;

/** A normalized file: what the client declares and how it finds the file again after a reload. */
export interface FileEntry {
  blob: Blob;
  name: string;
  type: string;
  size: number;
  lastModified: number;
}

function isFile(blob: Blob): blob is File {
  return typeof (blob as File).name === "string";
}

export function toEntries(input: UploadInput | readonly UploadInput[]): FileEntry[] {
  const list: readonly UploadInput[] = Array.isArray(input) ? input : [input as UploadInput];
  if (list.length === 0) throw new UploadError("GATEWAY", "no files to upload");
  return list.map((blob) => {
    if (!(blob instanceof Blob)) throw new UploadError("GATEWAY", "each file must be a File or a Blob");
    const file = isFile(blob);
    return {
      blob,
      name: file ? blob.name : "blob",
      type: blob.type || "application/octet-stream",
      size: blob.size,
      lastModified: file ? blob.lastModified : 0,
    };
  });
}
