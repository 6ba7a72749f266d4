/** A raw HTTP/1.1 request as the SigV4 suites write it: request line, headers, blank line, body. */
export interface RawRequest {
  method: string;
  /** The request target exactly as written ("/example space/?a=b"). */
  target: string;
  /** Header lines in order, names as written; obs-fold continuations are unfolded into the value. */
  headers: Array<[string, string]>;
  body: string;
}

/**
 * Parses the suites' request files. They use bare LF line ends, may omit the final newline, keep
 * repeated headers as separate lines and fold long values onto indented continuation lines, which
 * RFC 7230 §3.2.4 says to replace with a space. The target may contain raw spaces and UTF-8, so the
 * method ends at the first space and the version starts at the last one.
 */
export function parseRawRequest(text: string): RawRequest {
  const blank = text.search(/\r?\n\r?\n/);
  const head = blank === -1 ? text : text.slice(0, blank);
  const body = blank === -1 ? "" : text.slice(blank).replace(/^\r?\n\r?\n/, "");
  const [requestLine = "", ...lines] = head.split(/\r?\n/);
  const firstSpace = requestLine.indexOf(" ");
  const lastSpace = requestLine.lastIndexOf(" ");
  if (firstSpace <= 0 || lastSpace <= firstSpace || !requestLine.slice(lastSpace + 1).startsWith("HTTP/")) {
    throw new Error(`not an HTTP request line: ${JSON.stringify(requestLine)}`);
  }
  const headers: Array<[string, string]> = [];
  for (const line of lines) {
    if (line === "") continue;
    if (line[0] === " " || line[0] === "\t") {
      const last = headers.at(-1);
      if (!last) throw new Error(`continuation line before any header: ${JSON.stringify(line)}`);
      last[1] = `${last[1]} ${line.trimStart()}`;
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) throw new Error(`not a header line: ${JSON.stringify(line)}`);
    headers.push([line.slice(0, colon), line.slice(colon + 1)]);
  }
  return {
    method: requestLine.slice(0, firstSpace),
    target: requestLine.slice(firstSpace + 1, lastSpace),
    headers,
    body,
  };
}

/** The first value of a header, matched case-insensitively. */
export function headerValue(req: RawRequest, name: string): string | undefined {
  const lower = name.toLowerCase();
  return req.headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}
