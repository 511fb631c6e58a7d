import { describe, expect, test } from "vitest";
import { loadConfig } from "../src/config/load-config.js";
import { createLogger } from "../src/ops/logger.js";
import { databaseLabel } from "../src/store/open-store.js";
import { redactUrl } from "../src/store/postgres/connect.js";
import { openPostgresStore } from "../src/store/postgres/open-postgres-store.js";

describe("redactUrl: a database URL in logs and messages", () => {
  test("masks the password in the userinfo", () => {
    expect(redactUrl("postgres://restock:S3cret@db.internal:5432/restock")).toBe("postgres://restock:***@db.internal:5432/restock");
    expect(redactUrl("postgres://db.internal/restock?sslmode=require")).toBe("postgres://db.internal/restock?sslmode=require");
  });

  test("masks password and sslpassword given as query parameters, which pg reads as the connection's", () => {
    expect(redactUrl("postgres://restock@db.internal/restock?password=S3cret&sslmode=require")).toBe(
      "postgres://restock@db.internal/restock?password=***&sslmode=require",
    );
    expect(redactUrl("postgresql://db.internal/restock?sslmode=verify-full&sslkey=/k.pem&sslpassword=KeyS3cret")).toBe(
      "postgresql://db.internal/restock?sslmode=verify-full&sslkey=%2Fk.pem&sslpassword=***",
    );
    // Every spelling: repeated, upper case, percent-encoded name.
    for (const url of [
      "postgres://h/db?password=a&password=S3cret",
      "postgres://h/db?PASSWORD=S3cret",
      "postgres://h/db?pass%77ord=S3cret",
      "postgres://u:S3cret@h/db?password=S3cret&sslpassword=S3cret",
    ]) {
      expect(redactUrl(url), url).not.toContain("S3cret");
    }
  });

  test("the database label of the 'listening' log and banner, and the error of a database it cannot reach, hold no password", async () => {
    const url = "postgres://restock@127.0.0.1:1/restock?password=S3cret&sslpassword=KeyS3cret";
    const config = loadConfig({ env: { DATABASE_URL: url } });
    expect(databaseLabel(config)).toBe("postgres://restock@127.0.0.1:1/restock?password=***&sslpassword=***");
    const opened = openPostgresStore({ url, logger: createLogger("silent") });
    await expect(opened).rejects.toThrow(
      "cannot connect to PostgreSQL at postgres://restock@127.0.0.1:1/restock?password=***&sslpassword=***",
    );
    await expect(opened).rejects.not.toThrow(/S3cret/);
  });
});
