/** Keyset cursors for list(): the last row's (createdAt, id), opaque to clients. */

export interface CursorPosition {
  createdAtMs: number;
  id: string;
}

export class InvalidCursorError extends Error {
  constructor() {
    super("The cursor is not one this ledger produced.");
    this.name = "InvalidCursorError";
  }
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.createdAtMs, position.id])).toString("base64url");
}

export function decodeCursor(cursor: string): CursorPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new InvalidCursorError();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    !Number.isSafeInteger(parsed[0]) ||
    typeof parsed[1] !== "string"
  ) {
    throw new InvalidCursorError();
  }
  return { createdAtMs: parsed[0] as number, id: parsed[1] };
}
