/** What identifies a file across page reloads (File objects do not survive one). */
export interface FileIdentity {
  name: string;
  size: number;
  lastModified: number;
}

/** The resume key: name, size, last-modified time and SHA-256, so a changed file never matches. */
export function resumeKey(file: FileIdentity, sha256: string): string {
  return JSON.stringify(["upgate-resume-1", file.name, file.size, file.lastModified, sha256]);
}
