const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ENTITIES[name]!);
}

function element(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  return match ? unescapeXml(match[1]!) : undefined;
}

/** The Code and Message of an S3 XML error body (both undefined for anything else). */
export function parseS3Error(body: string): { code?: string; message?: string } {
  const out: { code?: string; message?: string } = {};
  if (!body.includes("<Error")) return out;
  const code = element(body, "Code");
  const message = element(body, "Message");
  if (code !== undefined) out.code = code;
  if (message !== undefined) out.message = message;
  return out;
}
