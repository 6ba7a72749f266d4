/**
 * A horizontal bar chart as a standalone SVG, from numbers given on the command line:
 *   tsx bench/chart-svg.ts --title "Presigned URLs per second" --out docs/performance-sign.svg \
 *     "upgate presignUrl=54047" "aws4=9480"
 * The first bar is drawn as "ours"; every bar is labelled with its value.
 */
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";

export interface Bar {
  label: string;
  value: number;
}

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function barChart(title: string, bars: readonly Bar[], note = ""): string {
  const labelWidth = 250;
  const barMax = 420;
  const rowHeight = 30;
  const top = 46;
  const width = labelWidth + barMax + 110;
  const height = top + bars.length * rowHeight + (note ? 34 : 14);
  const max = Math.max(...bars.map((b) => b.value));
  const rows = bars.map((bar, i) => {
    const y = top + i * rowHeight;
    const w = Math.max(2, Math.round((bar.value / max) * barMax));
    const fill = i === 0 ? "#2f6fdb" : "#9aa5b1";
    return [
      `<text x="${labelWidth - 10}" y="${y + 15}" text-anchor="end">${escapeXml(bar.label)}</text>`,
      `<rect x="${labelWidth}" y="${y + 2}" width="${w}" height="${rowHeight - 10}" rx="3" fill="${fill}"/>`,
      `<text x="${labelWidth + w + 8}" y="${y + 15}">${bar.value.toLocaleString("en-US")}</text>`,
    ].join("\n  ");
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="13" fill="#1f2933">
  <title>${escapeXml(title)}</title>
  <rect width="100%" height="100%" fill="#ffffff"/>
  <text x="16" y="26" font-size="16" font-weight="600">${escapeXml(title)}</text>
  ${rows.join("\n  ")}
  ${note ? `<text x="16" y="${height - 12}" font-size="11" fill="#52606d">${escapeXml(note)}</text>` : ""}
</svg>
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    options: { title: { type: "string" }, out: { type: "string" }, note: { type: "string" } },
    allowPositionals: true,
  });
  if (!values.title || !values.out || positionals.length === 0) {
    console.error('usage: tsx bench/chart-svg.ts --title T --out FILE [--note N] "label=value"...');
    process.exit(2);
  }
  const bars = positionals.map((arg) => {
    const at = arg.lastIndexOf("=");
    const value = Number(arg.slice(at + 1));
    if (at < 1 || !Number.isFinite(value)) throw new Error(`not label=value: ${arg}`);
    return { label: arg.slice(0, at), value };
  });
  await writeFile(values.out, barChart(values.title, bars, values.note ?? ""));
  console.log(`wrote ${values.out}`);
}
