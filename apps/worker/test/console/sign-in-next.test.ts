import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { safeNext } from "../../src/console/guard.js";
import { ADMIN_TOKEN, type ConsoleWorker, startConsoleWorker } from "./harness.js";

/** Where `GET /console/sign-in?next=…` sends someone who is already signed in (plain HTTP, no redirects followed). */
async function redirectFor(app: ConsoleWorker, rawNext: string): Promise<{ status: number; location: string | null }> {
  const response = await fetch(`${app.url}/console/sign-in?next=${rawNext}`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    redirect: "manual",
  });
  return { status: response.status, location: response.headers.get("location") };
}

describe("console sign-in: where `next` leads", () => {
  let app: ConsoleWorker;

  beforeAll(async () => {
    app = await startConsoleWorker();
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("follows a console path, query included", async () => {
    expect(await redirectFor(app, encodeURIComponent("/console/decisions?order=114-1&sku=a%20b"))).toEqual({
      status: 303,
      location: "/console/decisions?order=114-1&sku=a%20b",
    });
    expect(await redirectFor(app, "/console/integrations/amazon-us")).toEqual({ status: 303, location: "/console/integrations/amazon-us" });
  });

  it("never answers 500 or leaves the console: control characters, dot segments, // and backslashes go to the integrations page", async () => {
    for (const rawNext of [
      "/console/%0d%0a",
      "/console/%0d%0aSet-Cookie:%20x=1",
      "/console/x%00y",
      "/console/%E2%82%AC",
      "/console/..%2f..%2fv1",
      "/console/../v1",
      "/console/%2e%2e/v1",
      "/console/..%252f..%252fv1",
      "/console/%252e%252e/v1",
      "/console/.%2fdecisions",
      "/console//evil.example",
      "/console/%2f%2fevil.example",
      "/console/%5cevil.example",
      "/console/%255cevil.example",
      "/console\\evil.example",
      "/consolex",
      "//evil.example/console/",
      "https://evil.example/console/",
      "/v1/inventory",
      "/console/%zz",
    ]) {
      expect(await redirectFor(app, rawNext), rawNext).toEqual({ status: 303, location: "/console/integrations" });
    }
  });

  it("the sign-in form carries only a safe `next`", async () => {
    const page = await (await fetch(`${app.url}/console/sign-in?next=/console/..%2f..%2fv1`)).text();
    expect(page).not.toContain("../");
    expect(page).toContain('value="/console/integrations"');
  });

  it("safeNext keeps what the sign-in guard produces and refuses the rest", () => {
    expect(safeNext("/console")).toBe("/console");
    expect(safeNext("/console/integrations?saved=always")).toBe("/console/integrations?saved=always");
    expect(safeNext("/console/decisions?from=2025-01-01T00%3A00%3A00Z")).toBe("/console/decisions?from=2025-01-01T00%3A00%3A00Z");
    expect(safeNext("/console/decisions?q=..%2f..")).toBe("/console/decisions?q=..%2f..");
    expect(safeNext("/console/\r\n")).toBe("/console/integrations");
    expect(safeNext("/console/../../v1")).toBe("/console/integrations");
    expect(safeNext("/console/a/..")).toBe("/console/integrations");
    expect(safeNext(undefined)).toBe("/console/integrations");
    expect(safeNext(["/console/decisions"])).toBe("/console/integrations");
  });
});
