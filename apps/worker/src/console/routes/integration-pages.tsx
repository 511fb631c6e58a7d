import { RestorationMode } from "@restock/core";
import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import { IntegrationId } from "../../settings/integration.js";
import { integrationActivity, lastEventAt } from "../activity.js";
import { csrfToken } from "../csrf-token.js";
import { marketplaceName } from "../marketplaces.js";
import type { ConsoleDeps } from "../plugin.js";
import { sendPage } from "../render.js";
import { IntegrationPage } from "../views/integration-page.js";
import { IntegrationsPage } from "../views/integrations-page.js";
import { MessagePage } from "../views/message-page.js";

const Params = z.object({ id: IntegrationId });
/** After a save: the mode change it made (its id in the history), or "unchanged". */
const SavedQuery = z.object({ saved: z.union([z.literal("unchanged"), z.coerce.number().int().positive()]).optional() });
const HISTORY_SHOWN = 20;
const ModeForm = z.object({ mode: RestorationMode });

/** Integrations → one integration → "Inventory Restoration on Order Cancellation" → Save. */
export function integrationPages({ store, engine, settings }: ConsoleDeps) {
  function unknown(reply: FastifyReply, csrf: string) {
    return sendPage(
      reply,
      <MessagePage
        title="No such integration"
        message="There is no integration with this id."
        link={{ href: "/console/integrations", label: "Back to Integrations" }}
        csrf={csrf}
      />,
      404,
    );
  }

  return async (app: FastifyInstance) => {
    app.get("/integrations", async (_request, reply) => {
      const now = Date.now();
      const integrations = await settings.list();
      const rows = await Promise.all(
        integrations.map(async (integration) => ({
          integration,
          marketplace: marketplaceName(engine, integration.marketplace),
          activity: await integrationActivity(store, integration.id, now),
          lastEventAt: await lastEventAt(store, integration.id),
        })),
      );
      return sendPage(reply, <IntegrationsPage csrf={csrfToken(reply)} rows={rows} />);
    });

    app.get("/integrations/:id", async (request, reply) => {
      const csrf = csrfToken(reply);
      const params = Params.safeParse(request.params);
      const integration = params.success ? await settings.get(params.data.id) : undefined;
      if (!integration) return unknown(reply, csrf);
      const history = await settings.modeChanges(integration.id, HISTORY_SHOWN);
      const query = SavedQuery.safeParse(request.query);
      const saved = query.success ? query.data.saved : undefined;
      return sendPage(
        reply,
        <IntegrationPage
          csrf={csrf}
          integration={integration}
          marketplace={marketplaceName(engine, integration.marketplace)}
          reasons={engine.adapterFor(integration.marketplace)?.reasons}
          activity={await integrationActivity(store, integration.id, Date.now())}
          history={history}
          // The notice shows a change the history holds, not one a link claims.
          saved={saved === "unchanged" ? saved : history.find((change) => change.id === saved)}
        />,
      );
    });

    app.post("/integrations/:id", { preHandler: app.csrfProtection }, async (request, reply) => {
      const params = Params.safeParse(request.params);
      const integration = params.success ? await settings.get(params.data.id) : undefined;
      if (!integration) return unknown(reply, csrfToken(reply));
      const form = ModeForm.safeParse(request.body ?? {});
      const path = `/console/integrations/${encodeURIComponent(integration.id)}`;
      if (!form.success) {
        return sendPage(
          reply,
          <MessagePage
            title="Choose an option"
            message="Pick Always Restore, Never Restore or Smart Logic, then press Save. Nothing was changed."
            link={{ href: path, label: "Back to the setting" }}
            csrf={csrfToken(reply)}
          />,
          400,
        );
      }
      // The change this save made, from the store's write: not the newest in the history, which may be another writer's.
      const { modeChangeId } = await settings.put(integration.id, { mode: form.data.mode }, "console");
      // Post/redirect/get: reloading the confirmation does not send the form again.
      return reply.redirect(`${path}?saved=${modeChangeId ?? "unchanged"}`, 303);
    });
  };
}
