/** The SHA-256 of each part the client hashed (and had signed into its URL), in part order, with the planned sizes. */
export interface PartChecksums {
  sha256s: readonly string[];
  sizes: readonly number[];
}
