import { openAsBlob } from "node:fs";
import { stat } from "node:fs/promises";
import { basename, extname } from "node:path";
import { KNOWN_TYPES } from "../../core/policy/mime-table.js";
import { CliError } from "../cli-error.js";

const ALIASES: Record<string, string> = { ".jpeg": "image/jpeg", ".tif": "image/tiff", ".htm": "text/html" };

const BY_EXTENSION: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>(Object.entries(ALIASES));
  for (const [type, known] of Object.entries(KNOWN_TYPES)) {
    if (known.ext && !map.has(known.ext)) map.set(known.ext, type);
  }
  return map;
})();

/** The content type a file's extension names, or application/octet-stream. */
export function typeForName(name: string): string {
  return BY_EXTENSION.get(extname(name).toLowerCase()) ?? "application/octet-stream";
}

/**
 * A File backed by the file on disk (read lazily, slice by slice, never whole into memory), with
 * its name, type and modification time, which the client's resume key includes.
 */
export async function openFile(path: string, type: string | undefined): Promise<File> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(
      `upgate upload: ${path}: ${code === "ENOENT" ? "no such file" : (err as Error).message}`,
    );
  }
  if (!info.isFile()) throw new CliError(`upgate upload: ${path}: not a regular file`);
  const name = basename(path);
  const contentType = type ?? typeForName(name);
  const blob = await openAsBlob(path, { type: contentType });
  return new File([blob], name, { type: contentType, lastModified: Math.floor(info.mtimeMs) });
}
