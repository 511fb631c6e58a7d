import { isUtf8 } from "node:buffer";
import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import { wholeNumber } from "../../config/whole-number.js";
import { RETRY_AFTER_SECONDS } from "../../http/send-intake-result.js";
import { sendRawBody } from "../../http/send-raw-body.js";
import { decidedSince, readDeadLetterBody, retryDeadLetter } from "../../processing/dead-letters.js";
import { IntegrationId } from "../../settings/integration.js";
import { csrfToken } from "../csrf-token.js";
import type { ConsoleDeps } from "../plugin.js";
import { sendPage } from "../render.js";
import { DeadLetterPage } from "../views/dead-letter-page.js";
import { DeadLettersPage } from "../views/dead-letters-page.js";
import { MessagePage } from "../views/message-page.js";
import { fieldText, firstIssue, optionalField } from "./form-values.js";

const PAGE_SIZE = 50;

const LettersQuery = z.object({
  kind: optionalField(z.enum(["rejected", "failed"])),
  integration: optionalField(IntegrationId),
  all: optionalField(z.literal("true")),
  before: optionalField(wholeNumber(1)),
});
const Params = z.object({ id: wholeNumber(1) });
const RetriedQuery = z.object({ retried: z.literal("1").optional() });

/** Rejected and failed events: the error, the payload as received, and retry. */
export function deadLetterPages({ store, intake, settings }: ConsoleDeps) {
  function missing(reply: FastifyReply, id: string) {
    return sendPage(
      reply,
      <MessagePage
        title="No such dead letter"
        message={`There is no dead letter #${id}.`}
        link={{ href: "/console/dead-letters", label: "Back to the dead letter" }}
        csrf={csrfToken(reply)}
      />,
      404,
    );
  }

  async function showLetter(reply: FastifyReply, id: number, notice?: { ok: boolean; message: string }, status = 200) {
    const letter = await store.getDeadLetter(id);
    if (!letter) return missing(reply, String(id));
    const csrf = csrfToken(reply);
    const body = await store.getDeadLetterBody(id);
    const payload = body === undefined ? null : { text: body.toString("utf8"), exact: isUtf8(body) };
    // Also once retried: the warning matters most right after the retry, when the operator checks stock.
    const since = await decidedSince(store, letter);
    return sendPage(reply, <DeadLetterPage csrf={csrf} letter={letter} payload={payload} notice={notice} decidedSince={since} />, status);
  }

  return async (app: FastifyInstance) => {
    app.get("/dead-letters", async (request, reply) => {
      const values = {
        kind: fieldText(request.query, "kind"),
        integration: fieldText(request.query, "integration"),
        all: fieldText(request.query, "all") === "true",
      };
      const parsed = LettersQuery.safeParse(request.query);
      const letters = parsed.success
        ? await store.listDeadLetters({
            kind: parsed.data.kind,
            integrationId: parsed.data.integration,
            includeRetried: parsed.data.all === "true",
            beforeId: parsed.data.before,
            limit: PAGE_SIZE,
          })
        : [];
      let olderHref: string | undefined;
      if (letters.length === PAGE_SIZE) {
        const query = new URLSearchParams({ kind: values.kind, integration: values.integration, before: String(letters.at(-1)!.id) });
        if (values.all) query.set("all", "true");
        olderHref = `/console/dead-letters?${query}`;
      }
      return sendPage(
        reply,
        <DeadLettersPage
          csrf={csrfToken(reply)}
          values={values}
          integrationIds={(await settings.list()).map((integration) => integration.id)}
          letters={letters}
          error={parsed.success ? undefined : `This filter cannot be used: ${firstIssue(parsed.error)}`}
          olderHref={olderHref}
        />,
        parsed.success ? 200 : 400,
      );
    });

    app.get("/dead-letters/:id", async (request, reply) => {
      const params = Params.safeParse(request.params);
      if (!params.success) return missing(reply, (request.params as { id: string }).id);
      const retried = RetriedQuery.safeParse(request.query);
      if (retried.success && retried.data.retried) {
        const letter = await store.getDeadLetter(params.data.id);
        if (letter?.retryResult) {
          // Rejected again: a warning linking the new letter, not a success (the retry ran; nothing was taken).
          const again = /^rejected again as dead letter (\d+)$/.exec(letter.retryResult);
          const message = `Retried: ${letter.retryResult}.`;
          return showLetter(reply, params.data.id, { ok: true, message, ...(again ? { rejectedAgainAs: Number(again[1]) } : {}) });
        }
      }
      return showLetter(reply, params.data.id);
    });

    app.get("/dead-letters/:id/body", async (request, reply) => {
      const params = Params.safeParse(request.params);
      if (!params.success) return missing(reply, (request.params as { id: string }).id);
      const kept = await readDeadLetterBody(store, params.data.id);
      if (!kept.found) return missing(reply, String(params.data.id));
      const { letter, body, format } = kept;
      return sendRawBody(reply, body, { contentType: letter.contentType, format, name: `dead-letter-${letter.id}` });
    });

    app.post("/dead-letters/:id/retry", { preHandler: app.csrfProtection }, async (request, reply) => {
      const params = Params.safeParse(request.params);
      if (!params.success) return missing(reply, (request.params as { id: string }).id);
      const result = await retryDeadLetter(store, intake, params.data.id);
      if (result.retried) return reply.redirect(`/console/dead-letters/${params.data.id}?retried=1`, 303);
      if (result.notFound) return missing(reply, String(params.data.id));
      // As the API: 503 with Retry-After when the worker cannot take it now (the store, no adapter
      // loaded), 409 when it was retried already or a retry holds it.
      if (result.unavailable) reply.header("retry-after", RETRY_AFTER_SECONDS);
      const notice = { ok: false, message: `Not retried: ${result.error}.` };
      return showLetter(reply, params.data.id, notice, result.unavailable ? 503 : 409);
    });
  };
}
