import pino, { type Logger, type LoggerOptions } from "pino";

export type { Logger };

/**
 * Structured JSON logs. Secrets and payloads never reach them: request logs carry the method
 * and the path without its query (a shared-secret webhook URL holds its token there), and the
 * redact list catches secrets passed by mistake.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    base: { service: "restock-worker" },
    serializers: { req: requestSerializer, err: pino.stdSerializers.err },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        "apiToken",
        "webhookSecret",
        "*.apiToken",
        "*.webhookSecret",
        "config.sink.headers",
        "req.headers.authorization",
        "headers.authorization",
        "body",
        "*.body",
      ],
      censor: "[redacted]",
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** The request as logs show it: no headers, no query string, no body. */
export function requestSerializer(request: { method?: string; url?: string; id?: unknown; ip?: string }) {
  const url = request.url ?? "";
  const query = url.indexOf("?");
  return { id: request.id, method: request.method, path: query === -1 ? url : url.slice(0, query), ip: request.ip };
}
