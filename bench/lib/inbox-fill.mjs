// Fills a worker's inbox through its real intake (as `restock replay` does, without processing),
// so a processing benchmark starts from the rows a live worker would have.
import { generateLines } from "./event-generator.mjs";
import { importWorker } from "./workspace.mjs";

/** A replay line's delivery: a string body as it is; a JSON value (canonical cancellation) as JSON text. */
export function deliveryOf(line) {
  const { integrationId, body, contentType } = JSON.parse(line);
  return typeof body === "string"
    ? { integrationId, body, contentType }
    : { integrationId, body: JSON.stringify(body), contentType: contentType ?? "application/json" };
}

/** Receives `count` generated events into the inbox of `config`'s database; returns the intake's answers by status. */
export async function fillInbox(config, sources, count, { store, seed = 1, window = 256 } = {}) {
  const { createWorker } = await importWorker();
  const worker = await createWorker(config, store ? { store } : {});
  const statuses = {};
  const inFlight = new Set();
  try {
    for (const line of generateLines(sources, count, seed)) {
      const task = worker.intake.receive({ ...deliveryOf(line), source: "replay" }).then((result) => {
        statuses[result.status] = (statuses[result.status] ?? 0) + 1;
      });
      inFlight.add(task);
      void task.finally(() => inFlight.delete(task));
      if (inFlight.size >= window) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    await worker.commits.flush();
  } finally {
    await worker.stop();
  }
  return statuses;
}
