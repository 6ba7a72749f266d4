import { declaredType } from "../core/policy/type-for-name.js";
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

/** upload()'s `type`: one type for every file, or a function per file (undefined: the usual guess). */
export type TypeOption = string | ((file: UploadInput) => string | undefined);

/**
 * The files as the client declares them. A file's type is `type` when given, else its own unless
 * that is empty or application/octet-stream (browsers give .docx, .md or .heic no type), else the
 * one its extension names in core's type table (the one the CLI uses), else
 * application/octet-stream. The gateway still decides from the bytes.
 */
export function toEntries(input: UploadInput | readonly UploadInput[], type?: TypeOption): FileEntry[] {
  const list: readonly UploadInput[] = Array.isArray(input) ? input : [input as UploadInput];
  if (list.length === 0) throw new UploadError("GATEWAY", "no files to upload");
  return list.map((blob) => {
    if (!(blob instanceof Blob)) throw new UploadError("GATEWAY", "each file must be a File or a Blob");
    const file = isFile(blob);
    const name = file ? blob.name : "blob";
    const override = typeof type === "function" ? type(blob) : type;
    return {
      blob,
      name,
      type: declaredType(name, blob.type, override),
      size: blob.size,
      lastModified: file ? blob.lastModified : 0,
    };
  });
}
