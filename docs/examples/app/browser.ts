import { createUploader, describeError, type UploadRecord } from "../../../src/client/index.js";

/** `endpoint`: the gateway (server.ts); `token`: how your app gets the signed-in user's token. */
export function imageUploader(endpoint: string, token: () => Promise<string>) {
  const uploader = createUploader({
    endpoint,
    headers: async () => ({ authorization: `Bearer ${await token()}` }),
  });
  // Resolves with the records once storage holds the files and the gateway has verified them.
  return async (files: File[], show: (line: string) => void): Promise<UploadRecord[]> => {
    try {
      return await uploader.upload(files, {
        route: "images",
        onProgress: (p) => show(`${p.file}: ${p.phase} ${p.percent}%`),
      });
    } catch (err) {
      show(describeError(err)); // "notes.txt is plain text, not an allowed type for images (allowed: PNG, JPEG, WebP)"
      return [];
    }
  };
}
