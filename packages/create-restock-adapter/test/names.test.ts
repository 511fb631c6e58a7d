import { describe, expect, it } from "vitest";
import { assertAdapterId, assertDisplayName, assertPackageName, defaultDisplayName, identifierStem, ScaffoldError } from "../src/names.js";

describe("adapter ids", () => {
  it.each(["etsy", "acme-etsy", "mirakl-bestbuy-ca", "1688", "a", "x".repeat(64)])("accepts %s", (id) => {
    expect(() => assertAdapterId(id)).not.toThrow();
  });

  it.each(["", "Etsy", "acme_etsy", "-etsy", "etsy-", "acme--etsy", "acme etsy", "étsy", "../etsy", "x".repeat(65)])("refuses %j", (id) => {
    expect(() => assertAdapterId(id)).toThrow(ScaffoldError);
    expect(() => assertAdapterId(id)).toThrow(`adapter id "${id}" must be at most 64`);
  });
});

describe("display names", () => {
  it.each(["Etsy", "Etsy (Acme)", 'Say "hi" `ok`', "Mercado Libre — México"])("accepts %j", (name) => {
    expect(() => assertDisplayName(name)).not.toThrow();
  });

  // Each would end the doc comment or the line it is written into, and the package would not compile.
  it.each(["", "  ", "Acme */ Shop", "two\nlines", "tab\there", "x".repeat(101)])("refuses %j", (name) => {
    expect(() => assertDisplayName(name)).toThrow(`display name ${JSON.stringify(name)} must be`);
  });
});

describe("package names", () => {
  it.each(["restock-adapter-etsy", "@acme/restock-adapter-etsy", "@restock/adapter-wish"])("accepts %s", (name) => {
    expect(() => assertPackageName(name)).not.toThrow();
  });

  it.each(["", "Restock-Adapter", "@acme", "@acme/", "acme/etsy", "has space", ".hidden", "x".repeat(215)])("refuses %j", (name) => {
    expect(() => assertPackageName(name)).toThrow(`package name "${name}" is not a valid npm name`);
  });
});

describe("generated identifiers", () => {
  it("camel-cases dashed ids and prefixes ids that start with a digit", () => {
    expect(identifierStem("etsy")).toBe("etsy");
    expect(identifierStem("mirakl-bestbuy-ca")).toBe("miraklBestbuyCa");
    expect(identifierStem("1688")).toBe("marketplace1688");
    expect(identifierStem("11-street")).toBe("marketplace11Street");
  });

  it("title-cases the id for the default display name", () => {
    expect(defaultDisplayName("acme-etsy")).toBe("Acme Etsy");
    expect(defaultDisplayName("wish")).toBe("Wish");
  });
});
