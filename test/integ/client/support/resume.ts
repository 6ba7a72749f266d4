import { expect } from "vitest";
import { type ClientRig, fileBytes } from "./setup.js";

/**
 * The first page's session: uploads parts 1 and 2 of 3, then loses the connection for good.
 * Afterwards nothing intercepts the transport and its record of sent parts is empty.
 */
export async function interruptAfterTwoParts(rig: ClientRig, file: File): Promise<void> {
  rig.transport.before = (_request, n) => {
    if (n === 3) throw new Error("connection lost");
  };
  const err = await rig.uploader.upload(file, { route: "files" }).catch((e: unknown) => e);
  expect(err).toMatchObject({ code: "NETWORK" });
  rig.transport.before = undefined;
  expect(rig.transport.storedParts().sort()).toEqual([1, 2]);
  rig.transport.sent.length = 0;
}

/** A copy of `file` with bytes [from, to) overwritten, same name, type and mtime: the file edited in place. */
export async function editedCopy(
  file: File,
  from: number,
  to: number,
): Promise<{ file: File; bytes: Uint8Array }> {
  const bytes = await fileBytes(file);
  bytes.fill(7, from, to);
  return { file: new File([bytes], file.name, { type: file.type, lastModified: file.lastModified }), bytes };
}
