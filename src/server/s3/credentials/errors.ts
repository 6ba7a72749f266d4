/** No credentials to sign with: the provider failed and nothing usable is held, or the package is missing. */
export class CredentialsError extends Error {
  override readonly name = "CredentialsError";
}
