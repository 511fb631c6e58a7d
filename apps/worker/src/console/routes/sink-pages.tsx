import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { wholeNumber } from "../../config/whole-number.js";
import { csrfToken } from "../csrf-token.js";
import type { ConsoleDeps } from "../plugin.js";
import { sendPage } from "../render.js";
import { SinkPage } from "../views/sink-page.js";
import { firstIssue, optionalField } from "./form-values.js";

const PAGE_SIZE = 50;
const SinkQuery = z.object({ after: optionalField(wholeNumber(0)) });

/** The host sink, read-only: its switch and the adjustments the host has not acknowledged. */
export function sinkPages({ store }: ConsoleDeps) {
  return async (app: FastifyInstance) => {
    app.get("/sink", async (request, reply) => {
      // A mistyped page link says so (400) rather than silently showing the first page as if it were the one asked for.
      const parsed = SinkQuery.safeParse(request.query);
      const [state, undelivered, rows] = await Promise.all([
        store.hostSink(),
        store.outboxDepth(),
        parsed.success ? store.listUndelivered(parsed.data.after ?? 0, PAGE_SIZE) : [],
      ]);
      const laterHref = rows.length === PAGE_SIZE ? `/console/sink?after=${rows.at(-1)!.adjustment.id}` : undefined;
      return sendPage(
        reply,
        <SinkPage
          csrf={csrfToken(reply)}
          state={state}
          undelivered={undelivered}
          rows={rows}
          laterHref={laterHref}
          error={parsed.success ? undefined : `This page link cannot be used: ${firstIssue(parsed.error)}`}
        />,
        parsed.success ? 200 : 400,
      );
    });
  };
}
