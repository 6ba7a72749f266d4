/**
 * The content types upgate knows by name: the extension it gives their keys and the label it
 * uses in messages. Other types still work; their keys get no extension and messages show the
 * type itself. Keys are lower-case, parameter-free types (what validMimeType returns).
 */
export interface KnownType {
  /** With the dot, or "" for types whose keys get no extension. */
  ext: string;
  label: string;
  /** Other extensions files of this type commonly have (".jpeg" for JPEG): a download keeps them. */
  also?: readonly string[];
}

const OOXML = "application/vnd.openxmlformats-officedocument";

export const KNOWN_TYPES: Readonly<Record<string, KnownType>> = {
  "image/png": { ext: ".png", label: "PNG" },
  "image/jpeg": { ext: ".jpg", label: "JPEG", also: [".jpeg", ".jpe"] },
  "image/webp": { ext: ".webp", label: "WebP" },
  "image/gif": { ext: ".gif", label: "GIF" },
  "image/avif": { ext: ".avif", label: "AVIF" },
  "image/heic": { ext: ".heic", label: "HEIC" },
  "image/heif": { ext: ".heif", label: "HEIF" },
  "image/svg+xml": { ext: ".svg", label: "SVG" },
  "image/bmp": { ext: ".bmp", label: "BMP" },
  "image/tiff": { ext: ".tiff", label: "TIFF", also: [".tif"] },
  "image/x-icon": { ext: ".ico", label: "ICO" },
  "image/vnd.microsoft.icon": { ext: ".ico", label: "ICO" },
  "application/pdf": { ext: ".pdf", label: "PDF" },
  "text/plain": { ext: ".txt", label: "plain text", also: [".text", ".log"] },
  "text/csv": { ext: ".csv", label: "CSV" },
  "text/markdown": { ext: ".md", label: "Markdown", also: [".markdown"] },
  "text/html": { ext: ".html", label: "HTML", also: [".htm"] },
  "application/json": { ext: ".json", label: "JSON" },
  "application/xml": { ext: ".xml", label: "XML" },
  "text/xml": { ext: ".xml", label: "XML" },
  "application/zip": { ext: ".zip", label: "ZIP" },
  "application/gzip": { ext: ".gz", label: "gzip", also: [".tgz"] },
  "application/x-gzip": { ext: ".gz", label: "gzip", also: [".tgz"] },
  "application/x-tar": { ext: ".tar", label: "tar" },
  "application/x-7z-compressed": { ext: ".7z", label: "7-Zip" },
  "video/mp4": { ext: ".mp4", label: "MP4 video", also: [".m4v"] },
  "video/webm": { ext: ".webm", label: "WebM video" },
  "video/quicktime": { ext: ".mov", label: "QuickTime video" },
  "video/x-matroska": { ext: ".mkv", label: "Matroska video" },
  "video/ogg": { ext: ".ogv", label: "Ogg video" },
  "audio/mpeg": { ext: ".mp3", label: "MP3" },
  "audio/mp4": { ext: ".m4a", label: "M4A audio", also: [".mp4"] },
  "audio/aac": { ext: ".aac", label: "AAC audio" },
  "audio/flac": { ext: ".flac", label: "FLAC" },
  "audio/wav": { ext: ".wav", label: "WAV" },
  "audio/wave": { ext: ".wav", label: "WAV" },
  "audio/x-wav": { ext: ".wav", label: "WAV" },
  "audio/ogg": { ext: ".ogg", label: "Ogg audio", also: [".oga", ".opus"] },
  "audio/webm": { ext: ".weba", label: "WebM audio" },
  "application/msword": { ext: ".doc", label: "Word (.doc)" },
  [`${OOXML}.wordprocessingml.document`]: { ext: ".docx", label: "Word (.docx)" },
  "application/vnd.ms-excel": { ext: ".xls", label: "Excel (.xls)" },
  [`${OOXML}.spreadsheetml.sheet`]: { ext: ".xlsx", label: "Excel (.xlsx)" },
  "application/vnd.ms-powerpoint": { ext: ".ppt", label: "PowerPoint (.ppt)" },
  [`${OOXML}.presentationml.presentation`]: { ext: ".pptx", label: "PowerPoint (.pptx)" },
  "application/vnd.oasis.opendocument.text": { ext: ".odt", label: "OpenDocument text" },
  "application/rtf": { ext: ".rtf", label: "RTF" },
  "application/octet-stream": { ext: "", label: "binary data", also: [".bin"] },
};

/** What "image/*" and friends read as in messages. */
export const FAMILY_LABELS: Readonly<Record<string, string>> = {
  image: "any image",
  video: "any video",
  audio: "any audio",
  text: "any text",
  font: "any font",
};
