import { registerIntakeE2e } from "../support/intake-e2e.js";
import { createTestDatabase } from "../support/postgres.js";

// The same HTTP tests on the PostgreSQL store (DATABASE_URL), in a database of their own.
registerIntakeE2e("PostgreSQL", async () => {
  const database = await createTestDatabase();
  return { flags: { databaseUrl: database.url }, dispose: () => database.drop() };
});
