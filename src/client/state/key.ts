/** What identifies a file across page reloads (File objects do not survive one). */
export interface FileIdentity {
  name: string;
  size: number;
  lastModified: number;
}

/**
 * The resume key: name, size, last-modified time and a hash (the whole file's SHA-256 when it was
 * hashed before create, else fileFingerprint: the SHA-256 of its first 4 MiB), so a different file
 * with the same name and size does not match. It only finds the candidate record: on resume every
 * part is hashed again and kept only if storage holds that very part (flow/multipart.ts), so a file
 * changed elsewhere is caught part by part.
 */
export function resumeKey(file: FileIdentity, fingerprint: string): string {
  return JSON.stringify(["upgate-resume-2", file.name, file.size, file.lastModified, fingerprint]);
}
