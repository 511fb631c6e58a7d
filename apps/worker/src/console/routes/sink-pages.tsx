import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { wholeNumber } from "../../config/whole-number.js";
import type { ConsoleDeps } from "../plugin.js";
import { sendPage } from "../render.js";
import { SinkPage } from "../views/sink-page.js";
import { optionalField } from "./form-values.js";

const PAGE_SIZE = 50;
const SinkQuery = z.object({ after: optionalField(wholeNumber(1)) });

/** The host sink, read-only: its switch and the adjustments the host has not acknowledged. */
export function sinkPages({ store }: ConsoleDeps) {
  return async (app: FastifyInstance) => {
    app.get("/sink", async (request, reply) => {
      const parsed = SinkQuery.safeParse(request.query);
      const after = parsed.success ? (parsed.data.after ?? 0) : 0;
      const [state, undelivered, rows] = await Promise.all([
        store.hostSink(),
        store.outboxDepth(),
        store.listUndelivered(after, PAGE_SIZE),
      ]);
      const laterHref = rows.length === PAGE_SIZE ? `/console/sink?after=${rows.at(-1)!.adjustment.id}` : undefined;
      return sendPage(
        reply,
        <SinkPage csrf={reply.generateCsrf()} state={state} undelivered={undelivered} rows={rows} laterHref={laterHref} />,
      );
    });
  };
}
