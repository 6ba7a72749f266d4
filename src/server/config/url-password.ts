/** The decoded password of a URL (a Postgres connection string), or undefined when it has none or is not a URL. */
export function passwordOf(url: string): string | undefined {
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}
