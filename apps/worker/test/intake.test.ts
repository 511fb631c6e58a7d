import { registerIntakeE2e } from "./support/intake-e2e.js";

// The worker's default store: a SQLite file in the test's temp directory.
registerIntakeE2e("SQLite", async () => ({ flags: {}, dispose: async () => {} }));
