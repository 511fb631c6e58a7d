export { type Classification, classifyReason, findReasonRow } from "./classify-reason.js";
export { checkMode, decide, type Verdict } from "./decide.js";
export {
  type Adapter,
  type AdapterCapabilities,
  type AdapterDefinition,
  AdapterDefinitionError,
  CONTRACT_VERSION,
  type DefinedAdapter,
  defineAdapter,
  type WebhookCheck,
} from "./define-adapter.js";
export {
  AdapterError,
  createEngine,
  type Engine,
  type EngineOptions,
  type EvaluatedCancellation,
  type EvaluateInput,
  type Evaluation,
  isCanonicalCancellation,
  UnknownMarketplaceError,
} from "./engine.js";
export { normalizeKey } from "./normalize-key.js";
export { toParseResult } from "./parse-result.js";
export { formatPath, isPayloadError, PayloadError, type PayloadIssue, parsePayload } from "./payload-error.js";
export { decodeUtf8, looksLikeXml, type RawPayload, rawText, readJson } from "./raw-body.js";
export {
  Cancellation,
  CancelledLine,
  CanonicalCancellationInput,
  IgnoredEvent,
  IgnoreReason,
  isCleanText,
  MAX_UNITS,
  ParseResult,
  Reason,
  ReasonPart,
} from "./schemas/cancellation.js";
export { LineDecision, PartDecision, restorableQuantity } from "./schemas/decision.js";
export { DEFAULT_MODE, Outcome, ReasonOrigin, RestorationMode, Rule } from "./schemas/mode.js";
export { ReasonRow, ReasonTable } from "./schemas/reason-table.js";
export { IntegrationSettings, LegacyIntegrationSettings } from "./schemas/settings.js";
export { type MigratedSettings, migrateLegacySettings, modeFromLegacy } from "./settings.js";
export { headerValue, hmacSha256, safeEqual, verifySharedSecret, type WebhookRequest } from "./webhook.js";
export { decodeXmlReferences } from "./xml-references.js";
