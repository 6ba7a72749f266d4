/**
 * The part of XMLHttpRequest the transport uses. Declared here (not taken from lib "dom") so the
 * client also type-checks under the Node config, where XMLHttpRequest does not exist.
 */
export interface XhrProgress {
  loaded: number;
  total: number;
  lengthComputable: boolean;
}

export interface Xhr {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  getResponseHeader(name: string): string | null;
  send(body: Blob | FormData): void;
  abort(): void;
  responseType: string;
  readonly response: unknown;
  readonly status: number;
  readonly upload: { onprogress: ((event: XhrProgress) => void) | null };
  onprogress: ((event: XhrProgress) => void) | null;
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}

export type XhrConstructor = new () => Xhr;

/** The runtime's XMLHttpRequest, if it has one. */
export function xhrConstructor(): XhrConstructor | undefined {
  return (globalThis as { XMLHttpRequest?: XhrConstructor }).XMLHttpRequest;
}
