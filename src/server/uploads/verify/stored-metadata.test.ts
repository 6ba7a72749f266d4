import { describe, expect, it } from "vitest";
import { metadataMismatch } from "./stored-metadata.js";

const SIGNED = { "upgate-user": "ada%20lovelace", "upgate-upload": "up1", album: "summer" };

describe("metadataMismatch", () => {
  it("accepts exactly the signed names and values", () => {
    expect(metadataMismatch(SIGNED, { ...SIGNED })).toBeUndefined();
    expect(metadataMismatch({}, {})).toBeUndefined();
  });

  it("names a stored name the gateway did not sign", () => {
    expect(metadataMismatch(SIGNED, { ...SIGNED, evil: "x".repeat(300) })).toEqual({
      name: "evil",
      expected: null,
      actual: "x".repeat(200),
      message: "stored x-amz-meta-evil was not signed by the gateway",
    });
  });

  it("names a signed value that is missing or changed", () => {
    const { album: _, ...withoutAlbum } = SIGNED;
    expect(metadataMismatch(SIGNED, withoutAlbum)).toMatchObject({
      name: "album",
      expected: "summer",
      actual: null,
    });
    expect(metadataMismatch(SIGNED, { ...SIGNED, "upgate-upload": "up2" })).toMatchObject({
      name: "upgate-upload",
      expected: "up1",
      actual: "up2",
    });
  });

  it("reports the gateway's own names first: they decide whether the object is this upload's", () => {
    expect(
      metadataMismatch(SIGNED, { ...SIGNED, album: "x", "upgate-upload": "up2", evil: "1" }),
    ).toMatchObject({ name: "upgate-upload" });
  });

  it("compares names lower-case, as S3 returns them", () => {
    expect(metadataMismatch({ Album: "summer" }, { album: "summer" })).toBeUndefined();
    expect(metadataMismatch({ album: "summer" }, { ALBUM: "summer", Extra: "1" })).toMatchObject({
      name: "extra",
    });
  });

  it("requires only the presence of a value the gateway could not have signed as it is", () => {
    // A store returns non-ASCII RFC 2047 encoded ("=?UTF-8?B?...?="): no byte-wise comparison there.
    expect(metadataMismatch({ title: "été" }, { title: "=?UTF-8?B?w6l0w6k=?=" })).toBeUndefined();
    expect(metadataMismatch({ title: "été" }, {})).toMatchObject({ name: "title", actual: null });
  });
});
