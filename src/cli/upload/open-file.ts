import { openAsBlob } from "node:fs";
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { declaredType } from "../../core/policy/type-for-name.js";
import { CliError } from "../cli-error.js";

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
  // The same guess the browser client makes from the name: the shared type table in core.
  const contentType = declaredType(name, undefined, type);
  const blob = await openAsBlob(path, { type: contentType });
  return new File([blob], name, { type: contentType, lastModified: Math.floor(info.mtimeMs) });
}
