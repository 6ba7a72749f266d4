import { createUploader, type Uploader } from "../../../../src/client/index.js";
import type { UploaderOptions } from "../../../../src/client/options.js";
import { memoryStateStore } from "../../../../src/client/state/memory.js";
import { type StoreFixture, startStore } from "../../../support/store-fixture.js";
import { createFakeGateway, type FakeGateway, type FakeGatewayOptions, routedFetch } from "./fake-gateway.js";
import { type RecordingTransport, recordingTransport } from "./transports.js";

export const MIB = 1024 * 1024;

export interface ClientRig {
  store: StoreFixture;
  gateway: FakeGateway;
  transport: RecordingTransport;
  state: ReturnType<typeof memoryStateStore>;
  /** Backoff delays the uploader asked for (the sleeps themselves are skipped). */
  sleeps: number[];
  uploader: Uploader;
  /** A second uploader over the same state store and gateway: a page after a reload. */
  reload(options?: Partial<UploaderOptions>): Uploader;
  close(): Promise<void>;
}

export async function startRig(
  gatewayOptions: FakeGatewayOptions,
  options: Partial<UploaderOptions> = {},
): Promise<ClientRig> {
  const store = await startStore();
  const gateway = createFakeGateway(store, gatewayOptions);
  const transport = recordingTransport();
  const state = memoryStateStore();
  const sleeps: number[] = [];
  const make = (extra: Partial<UploaderOptions> = {}) =>
    createUploader({
      endpoint: gateway.endpoint,
      fetch: routedFetch(gateway),
      transport,
      stateStore: state,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ...options,
      ...extra,
    });
  return {
    store,
    gateway,
    transport,
    state,
    sleeps,
    uploader: make(),
    reload: make,
    close: () => store.close(),
  };
}

/** A File of pseudo-random bytes. */
export function randomFile(
  size: number,
  name = "data.bin",
  type = "application/octet-stream",
  seed = 1,
): File {
  const bytes = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 255;
  }
  return new File([bytes], name, { type, lastModified: 1_700_000_000_000 });
}

export async function fileBytes(file: Blob): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}
