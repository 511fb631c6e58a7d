import { afterEach, test } from "vitest";
import { startWorker, type TestWorker } from "../helpers/start-worker.js";
import { tempDir } from "../helpers/temp-dir.js";
import { checkAgainstModel } from "../support/model-check.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";

let database: TestDatabase | undefined;
const workers: TestWorker[] = [];
afterEach(async () => {
  for (const worker of workers.splice(0)) await worker.stop();
  await database?.drop();
});

// The model check of ../exactly-once-model.test.ts with two workers sharing one database: each
// delivery's copies go to both, and both decide at once, claiming from one inbox.
test.each([1, 2, 3, 4, 5, 6])(
  "seed %i, two workers: every SKU's restored units and every line's adjustments are what the rules give",
  async (seed) => {
    database = await createTestDatabase();
    for (const name of ["a", "b"]) workers.push(await startWorker(tempDir(), { databaseUrl: database.url }, { name }));
    await checkAgainstModel(workers, seed);
  },
);
