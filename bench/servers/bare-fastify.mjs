// The intake benchmark's baseline: the same framework as the worker (Fastify, raw-buffer body
// parsing, a route with a path parameter) answering 202 with no work.
import { requireFrom, WORKER_DIR } from "../lib/workspace.mjs";

const Fastify = requireFrom(WORKER_DIR, "fastify");
const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
app.removeAllContentTypeParsers();
app.addContentTypeParser(["application/json", "application/xml"], { parseAs: "buffer" }, (_request, body, done) => done(null, body));
app.post("/webhooks/:integrationId", async (_request, reply) => reply.code(202).send({ eventId: 0, status: "accepted" }));
const address = await app.listen({ host: "127.0.0.1", port: 0 });
process.stdout.write(`listening on ${address}\n`);
process.once("SIGTERM", () => app.close().then(() => process.exit(0)));
