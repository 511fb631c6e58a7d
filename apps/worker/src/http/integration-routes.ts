import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { IntegrationChange, IntegrationId, publicIntegration } from "../settings/integration.js";
import { LegacyImport, type SettingsService } from "../settings/settings-service.js";

const Params = z.object({ id: IntegrationId });
const ImportQuery = z.object({ dryRun: z.enum(["true", "false", "1", "0"]).optional() });

export function integrationRoutes(settings: SettingsService) {
  return async (app: FastifyInstance) => {
    app.get("/v1/integrations", async () => ({ integrations: (await settings.list()).map(publicIntegration) }));

    app.get("/v1/integrations/:id", { schema: { params: Params } }, async (request, reply) => {
      const { id } = request.params as z.infer<typeof Params>;
      const integration = await settings.get(id);
      if (!integration) return reply.code(404).send({ statusCode: 404, error: "Not Found", message: `unknown integration "${id}"` });
      return publicIntegration(integration);
    });

    /** Creates (marketplace required; mode defaults to smart) or changes an integration. */
    app.put("/v1/integrations/:id", { schema: { params: Params, body: IntegrationChange } }, async (request, reply) => {
      const { id } = request.params as z.infer<typeof Params>;
      const { integration, created } = await settings.put(id, request.body as IntegrationChange);
      return reply.code(created ? 201 : 200).send(publicIntegration(integration));
    });

    /** Legacy "Restore qty on cancel" → mode (core's migrateLegacySettings); answers what changed. */
    app.post("/v1/integrations/import-legacy", { schema: { body: LegacyImport, querystring: ImportQuery } }, async (request) => {
      const { dryRun } = request.query as z.infer<typeof ImportQuery>;
      const dry = dryRun === "true" || dryRun === "1";
      return { dryRun: dry, integrations: await settings.importLegacy(request.body as LegacyImport, { dryRun: dry }) };
    });
  };
}
