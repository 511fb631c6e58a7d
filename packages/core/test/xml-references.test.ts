import { describe, expect, it } from "vitest";
import { decodeXmlReferences, PayloadError } from "../src/index.js";

describe("decodeXmlReferences", () => {
  it("decodes character references and the five predefined entities", () => {
    expect(decodeXmlReferences("MUG&#x2D;BLUE&#45;12OZ")).toBe("MUG-BLUE-12OZ");
    expect(decodeXmlReferences("a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;")).toBe(`a & b <c> "d" 'e'`);
    expect(decodeXmlReferences("no references")).toBe("no references");
  });

  it("refuses any other reference, and characters XML forbids, at the element the caller names", () => {
    for (const text of ["&nbsp;", "&lol9;", "&#0;", "&#xD800;", "a & b"]) {
      expect(() => decodeXmlReferences(text, () => "Order.Item.SKU"), text).toThrow(PayloadError);
    }
    try {
      decodeXmlReferences("&undefined;", () => "Order.Item.SKU");
    } catch (error) {
      expect(error).toMatchObject({ path: "Order.Item.SKU" });
    }
  });
});
