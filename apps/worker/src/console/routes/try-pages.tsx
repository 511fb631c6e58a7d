import { RestorationMode } from "@restock/core";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { csrfToken } from "../csrf-token.js";
import { marketplaceName } from "../marketplaces.js";
import type { ConsoleDeps } from "../plugin.js";
import { sendPage } from "../render.js";
import { tryPayload } from "../try-payload.js";
import { MessagePage } from "../views/message-page.js";
import { TryPage } from "../views/try-page.js";

const TryForm = z.object({
  marketplace: z.string().min(1).max(64),
  mode: RestorationMode,
  payload: z.string().min(1, "paste a payload"),
});

/** Paste a payload, pick marketplace and mode, see the decisions: the worker's engine, nothing stored. */
export function tryPages({ engine, bodyLimit }: ConsoleDeps) {
  // The form sends the payload URL-encoded, up to 3 bytes (%XX) for each of its bytes: a payload
  // intake takes (up to bodyLimit) must fit, with room for the other fields.
  const formLimit = 3 * bodyLimit + 4096;
  const marketplaces = [...engine.adapters.values()].map((adapter) => ({ id: adapter.id, name: adapter.displayName }));
  const defaults = { marketplace: marketplaces[0]?.id ?? "", mode: "smart" as const, payload: "" };

  return async (app: FastifyInstance) => {
    app.get("/try", async (_request, reply) =>
      sendPage(reply, <TryPage csrf={csrfToken(reply)} marketplaces={marketplaces} values={defaults} />),
    );

    app.post("/try", { preHandler: app.csrfProtection, bodyLimit: formLimit }, async (request, reply) => {
      const csrf = csrfToken(reply);
      const form = TryForm.safeParse(request.body ?? {});
      if (!form.success || !engine.adapters.has(form.data.marketplace)) {
        return sendPage(
          reply,
          <MessagePage
            title="Fill in the form"
            message="Choose a marketplace and a mode, and paste a payload. Nothing was evaluated."
            link={{ href: "/console/try", label: "Back to Try a payload" }}
            csrf={csrf}
          />,
          400,
        );
      }
      const { marketplace, mode, payload } = form.data;
      return sendPage(
        reply,
        <TryPage
          csrf={csrf}
          marketplaces={marketplaces}
          values={form.data}
          result={tryPayload(engine, marketplace, mode, payload)}
          marketplaceName={marketplaceName(engine, marketplace)}
        />,
      );
    });
  };
}
