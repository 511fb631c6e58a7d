export { type LoadedAdapter, loadAdapters } from "./adapters/load-adapters.js";
export { ConfigError, type ConfigSources, loadConfig } from "./config/load-config.js";
export { DEFAULT_ADAPTERS, DEFAULT_BATCH_SIZE, processingBatchSize, WorkerConfig, type WorkerConfigInput } from "./config/schema.js";
export type { Intake, IntakeRequest, IntakeResult } from "./intake/intake.js";
export { Integration, IntegrationChange } from "./settings/integration.js";
export { DatabaseConnectError, openPostgresStore, type PostgresStoreOptions } from "./store/postgres/open-postgres-store.js";
export { openSqliteStore } from "./store/sqlite/open-sqlite-store.js";
export type * from "./store/store.js";
export { createWorker, type Worker, type WorkerOptions } from "./worker.js";
