import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "vitest";
import { threadExecArgv } from "../src/ops/thread-exec-argv.js";
import { tempDir } from "./helpers/temp-dir.js";

const dir = tempDir();

test("a thread starts with the process's Node options less --input-type, in either spelling", () => {
  expect(threadExecArgv(["--input-type=module", "--max-old-space-size=512", "-e", "code"])).toEqual([
    "--max-old-space-size=512",
    "-e",
    "code",
  ]);
  expect(threadExecArgv(["--input-type", "module", "--enable-source-maps"])).toEqual(["--enable-source-maps"]);
  expect(threadExecArgv(["--cpu-prof"])).toEqual(["--cpu-prof"]);
});

test("a host run as `node --input-type=module -e …` decides on the built worker's processing thread, not on its main thread", {
  timeout: 30_000,
}, async () => {
  const path = join(dir, "host.db");
  const index = new URL("../dist/index.js", import.meta.url).href;
  // The host's whole program: a worker started, one host push, wait until it is decided, stop.
  const program = `
    import { createWorker, loadConfig } from ${JSON.stringify(index)};
    const worker = await createWorker(loadConfig({ flags: { dbPath: ${JSON.stringify(path)}, logLevel: "info", seedSamples: true } }));
    await worker.start();
    const body = JSON.stringify({ orderId: "HOST-1", lines: [{ lineId: "1", sku: "LAMP", quantity: 2 }] });
    const result = await worker.intake.receive({ integrationId: "sample-no-reason", body, contentType: "application/json", source: "api" });
    for (let i = 0; i < 200 && (await worker.store.inboxDepth()) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    await worker.stop();
    console.log(JSON.stringify(result));
  `;
  const child = spawn(process.execPath, ["--input-type=module", "-e", program], { stdio: ["ignore", "pipe", "inherit"] });
  let stdout = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  const [code] = (await once(child, "exit")) as [number];
  expect(code).toBe(0);
  expect(stdout).toContain("processing on a worker thread");
  expect(stdout).not.toContain("processing on the main thread");
  expect(JSON.parse(stdout.trim().split("\n").at(-1)!)).toMatchObject({ status: 202 });
  const reader = new Database(path, { readonly: true });
  try {
    expect(reader.prepare("SELECT restored_now FROM decisions WHERE sku = 'LAMP'").all()).toEqual([{ restored_now: 2 }]);
  } finally {
    reader.close();
  }
});
