/** Unfinished uploads a reload left, as a page offers them: the client's resumable() with a percent. */
import type { ResumableUpload } from "../client/index.js";

/** An upload a reload left unfinished: resumeOffer() with the same file continues from the parts storage holds. */
export interface ResumeOffer extends ResumableUpload {
  /** storedBytes / size in whole percent. */
  percent: number;
}

export function offerOf(upload: ResumableUpload): ResumeOffer {
  return { ...upload, percent: upload.size > 0 ? Math.floor((upload.storedBytes / upload.size) * 100) : 0 };
}

/** Same name, size and modification time: the quick part of the client's isSameFile. */
export function sameIdentity(offer: ResumableUpload, file: File): boolean {
  return file.name === offer.name && file.size === offer.size && file.lastModified === offer.lastModified;
}
