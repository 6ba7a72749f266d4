import { describe, expect, it } from "vitest";
import { children, childText, parseXml } from "./xml-read.js";

describe("parseXml", () => {
  it("keeps text exactly and decodes only predefined entities and character references", () => {
    const { root, element } = parseXml(
      '<?xml version="1.0"?><R xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Key> a &amp; b &lt;&#233;&#x1F600;&quot; </Key><E></E></R>',
    );
    expect(root).toBe("R");
    expect(childText(element, "Key")).toBe(' a & b <é😀" ');
    expect(childText(element, "E")).toBe("");
    expect(childText(element, "Missing")).toBeUndefined();
  });

  it("reads CDATA as literal text", () => {
    const { element } = parseXml("<R><K><![CDATA[a &amp; <b>]]></K></R>");
    expect(childText(element, "K")).toBe("a &amp; <b>");
  });

  it("returns repeated elements as arrays when asked", () => {
    const { element } = parseXml("<R><P><N>1</N></P></R>", ["P"]);
    expect(children(element, "P").map((p) => childText(p, "N"))).toEqual(["1"]);
    expect(children(element, "Q")).toEqual([]);
  });

  it("refuses DTDs (so no entity expansion), unknown entities and malformed documents", () => {
    const bomb = '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><r>&b;</r>';
    expect(() => parseXml(bomb)).toThrow(/DOCTYPE/);
    expect(() => parseXml("<r>&nbsp;</r>")).toThrow(/undefined entity/);
    expect(() => parseXml("<r>&#0;</r>")).toThrow(/character reference/);
    expect(() => parseXml("<r><a></r>")).toThrow(/malformed XML/);
    expect(() => parseXml("<a/><b/>")).toThrow();
  });
});
