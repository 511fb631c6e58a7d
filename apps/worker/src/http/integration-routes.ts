import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import { wholeNumber } from "../config/whole-number.js";
import { IntegrationChange, IntegrationId, publicIntegration, publicModeChange } from "../settings/integration.js";
import { LegacyImport, type SettingsService } from "../settings/settings-service.js";

const Params = z.object({ id: IntegrationId });
const Flag = z.enum(["true", "false", "1", "0"]).optional();
const ImportQuery = z.object({ dryRun: Flag, force: Flag });
const isSet = (flag: z.infer<typeof Flag>) => flag === "true" || flag === "1";
// wholeNumber, as every other count: z.coerce read "1e2" as 100 and " " as 0.
const ModeChangesQuery = z.object({ limit: wholeNumber(1, 1000).default(50) });

const unknown = (reply: FastifyReply, id: string) =>
  reply.code(404).send({ statusCode: 404, error: "Not Found", message: `unknown integration "${id}"` });

export function integrationRoutes(settings: SettingsService) {
  return async (app: FastifyInstance) => {
    app.get("/v1/integrations", async () => ({ integrations: (await settings.list()).map(publicIntegration) }));

    app.get("/v1/integrations/:id", { schema: { params: Params } }, async (request, reply) => {
      const { id } = request.params as z.infer<typeof Params>;
      const integration = await settings.get(id);
      if (!integration) return unknown(reply, id);
      return publicIntegration(integration);
    });

    /** Who changed the integration's mode, when, from what to what (newest first). */
    app.get("/v1/integrations/:id/mode-changes", { schema: { params: Params, querystring: ModeChangesQuery } }, async (request, reply) => {
      const { id } = request.params as z.infer<typeof Params>;
      const { limit } = request.query as z.infer<typeof ModeChangesQuery>;
      if (!(await settings.get(id))) return unknown(reply, id);
      return { modeChanges: (await settings.modeChanges(id, limit)).map(publicModeChange) };
    });

    /** Creates (marketplace required; mode defaults to smart) or changes an integration. */
    app.put("/v1/integrations/:id", { schema: { params: Params, body: IntegrationChange } }, async (request, reply) => {
      const { id } = request.params as z.infer<typeof Params>;
      const { integration, created } = await settings.put(id, request.body as IntegrationChange, "api");
      return reply.code(created ? 201 : 200).send(publicIntegration(integration));
    });

    /** Legacy "Restore qty on cancel" → mode (core's migrateLegacySettings); answers what changed. */
    app.post("/v1/integrations/import-legacy", { schema: { body: LegacyImport, querystring: ImportQuery } }, async (request) => {
      const query = request.query as z.infer<typeof ImportQuery>;
      const options = { dryRun: isSet(query.dryRun), force: isSet(query.force) };
      return { ...options, integrations: await settings.importLegacy(request.body as LegacyImport, options) };
    });
  };
}
