/**
 * A media type as compared and stored: lower-case, trimmed, without parameters ("Image/PNG; x=1" ->
 * "image/png"). Validates nothing (storage answers what it stored); core's stripTypeParameters validates.
 */
export function stripTypeParameters(type: string): string {
  const semi = type.indexOf(";");
  return (semi === -1 ? type : type.slice(0, semi)).trim().toLowerCase();
}
