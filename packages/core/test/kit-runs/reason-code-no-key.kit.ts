import { defineAdapter } from "../../src/index.js";
import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// The example adapter with codes core matches exactly only or by a key some spellings lose:
// `在庫切れ` has no a-z or 0-9 (the empty key), and `Maße_falsch` upper-cased is `MASSE_FALSCH`,
// another key; and `1` and `-1` share the key "1" with one outcome (Wish's Unable to Ship and Other),
// each its own row exactly, other spellings the first's. A conforming adapter, which the kit must pass.
runAdapterConformance({
  adapter: defineAdapter({
    ...exampleAdapter,
    reasons: [
      ...exampleAdapter.reasons,
      { code: "在庫切れ", label: "Out of stock (Japanese)", outcome: "do_not_restore", origin: "extended" },
      { code: "Maße_falsch", label: "Wrong dimensions", outcome: "ambiguous", origin: "extended" },
      { code: "1", label: "Unable to ship", outcome: "ambiguous", origin: "extended" },
      { code: "-1", label: "Other", outcome: "ambiguous", origin: "extended" },
    ],
  }),
  fixtures: new URL("../example-adapter/__fixtures__", import.meta.url),
});
