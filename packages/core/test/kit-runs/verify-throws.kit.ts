import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// A verifyWebhook that throws on a delivery without its header, instead of returning false.
runAdapterConformance({
  adapter: {
    ...exampleAdapter,
    verifyWebhook(request) {
      return (request.headers["x-example-signature"] as string).split("=")[1] === "ok";
    },
  },
  fixtures: new URL("../example-adapter/__fixtures__", import.meta.url),
});
