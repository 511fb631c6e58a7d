import type { IgnoreReason, Outcome, PartDecision, ReasonOrigin, RestorationMode, Rule } from "@restock/core";
import type { ChangeVia, Integration, ModeChange, ModeSetBy } from "../../settings/integration.js";
import type {
  AdjustmentRecord,
  DeadLetter,
  DeadLetterKind,
  DecisionRecord,
  EventRecord,
  EventSource,
  EventStatus,
  HostSinkState,
  IgnoredRecord,
  InventoryRecord,
  PayloadFormat,
  UndeliveredAdjustment,
} from "../types.js";

// Column lists and row mappers: SQLite returns snake_case columns and 0/1 flags.

export const integrationColumns = "id, marketplace, account, mode, mode_set_by, webhook_secret, created_at, updated_at";
export interface IntegrationRow {
  id: string;
  marketplace: string;
  account: string;
  mode: RestorationMode;
  mode_set_by: ModeSetBy;
  webhook_secret: string | null;
  created_at: number;
  updated_at: number;
}
export function toIntegration(row: IntegrationRow): Integration {
  return {
    id: row.id,
    marketplace: row.marketplace,
    account: row.account,
    mode: row.mode,
    modeSetBy: row.mode_set_by,
    webhookSecret: row.webhook_secret,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export const modeChangeColumns = "id, integration_id, at, from_mode, to_mode, set_by, via";
export interface ModeChangeRow {
  id: number;
  integration_id: string;
  at: number;
  from_mode: RestorationMode | null;
  to_mode: RestorationMode;
  set_by: ModeSetBy;
  via: ChangeVia;
}
export function toModeChange(row: ModeChangeRow): ModeChange {
  return {
    id: row.id,
    integrationId: row.integration_id,
    at: row.at,
    from: row.from_mode,
    to: row.to_mode,
    setBy: row.set_by,
    via: row.via,
  };
}

export const decisionColumns =
  "id, event_id, integration_id, marketplace, account, order_id, line_id, sku, quantity, restored_now, restore, mode, outcome, rule, " +
  "reason_code, reason_label, reason_origin, reason_derived, adapter_id, adapter_version, reason_parts, decided_at";
export interface DecisionRow {
  id: number;
  event_id: number;
  integration_id: string;
  marketplace: string;
  account: string;
  order_id: string;
  line_id: string;
  sku: string;
  quantity: number;
  restored_now: number;
  restore: number;
  mode: RestorationMode;
  outcome: Outcome;
  rule: Rule;
  reason_code: string | null;
  reason_label: string | null;
  reason_origin: ReasonOrigin;
  reason_derived: number;
  adapter_id: string;
  adapter_version: string;
  reason_parts: string | null;
  decided_at: number;
}
export function toDecision(row: DecisionRow): DecisionRecord {
  return {
    id: row.id,
    eventId: row.event_id,
    integrationId: row.integration_id,
    marketplace: row.marketplace,
    account: row.account,
    orderId: row.order_id,
    lineId: row.line_id,
    sku: row.sku,
    quantity: row.quantity,
    restoredNow: row.restored_now,
    restore: row.restore === 1,
    mode: row.mode,
    outcome: row.outcome,
    rule: row.rule,
    reasonCode: row.reason_code,
    reasonLabel: row.reason_label,
    reasonOrigin: row.reason_origin,
    reasonDerived: row.reason_derived === 1,
    adapterId: row.adapter_id,
    adapterVersion: row.adapter_version,
    ...(row.reason_parts === null ? {} : { parts: JSON.parse(row.reason_parts) as PartDecision[] }),
    decidedAt: row.decided_at,
  };
}

export const eventColumns =
  "id, integration_id, source, format, content_type, status, order_key, attempts, last_error, duplicate_of, received_at, processed_at";
export interface EventRow {
  id: number;
  integration_id: string;
  source: EventSource;
  format: PayloadFormat;
  content_type: string | null;
  status: EventStatus;
  order_key: string | null;
  attempts: number;
  last_error: string | null;
  duplicate_of: number | null;
  received_at: number;
  processed_at: number | null;
}
export function toEvent(row: EventRow): EventRecord {
  return {
    id: row.id,
    integrationId: row.integration_id,
    source: row.source,
    format: row.format,
    contentType: row.content_type,
    status: row.status,
    orderKey: row.order_key,
    attempts: row.attempts,
    lastError: row.last_error,
    duplicateOf: row.duplicate_of,
    receivedAt: row.received_at,
    processedAt: row.processed_at,
  };
}

export interface IgnoredRow {
  event_id: number;
  integration_id: string;
  kind: string;
  reason: IgnoreReason;
  order_id: string | null;
  detail: string | null;
}
export function toIgnored(row: IgnoredRow): IgnoredRecord {
  return {
    eventId: row.event_id,
    integrationId: row.integration_id,
    kind: row.kind,
    reason: row.reason,
    orderId: row.order_id,
    detail: row.detail,
  };
}

export const deadLetterColumns =
  "id, kind, integration_id, event_id, source, content_type, error, field, attempts, created_at, retried_at, retry_result";
export interface DeadLetterRow {
  id: number;
  kind: DeadLetterKind;
  integration_id: string;
  event_id: number | null;
  source: EventSource;
  content_type: string | null;
  error: string;
  field: string | null;
  attempts: number;
  created_at: number;
  retried_at: number | null;
  retry_result: string | null;
}
export function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return {
    id: row.id,
    kind: row.kind,
    integrationId: row.integration_id,
    eventId: row.event_id,
    source: row.source,
    contentType: row.content_type,
    error: row.error,
    field: row.field,
    attempts: row.attempts,
    createdAt: row.created_at,
    retriedAt: row.retried_at,
    retryResult: row.retry_result,
  };
}

export interface InventoryRow {
  account: string;
  sku: string;
  on_hand: number;
  updated_at: number;
}
export function toInventory(row: InventoryRow): InventoryRecord {
  return { account: row.account, sku: row.sku, onHand: row.on_hand, updatedAt: row.updated_at };
}

export const adjustmentColumns =
  "id, account, sku, delta, integration_id, marketplace, order_id, line_id, event_id, decision_id, created_at";
export interface AdjustmentRow {
  id: number;
  account: string;
  sku: string;
  delta: number;
  integration_id: string;
  marketplace: string;
  order_id: string;
  line_id: string;
  event_id: number;
  decision_id: number;
  created_at: number;
}
export function toAdjustment(row: AdjustmentRow): AdjustmentRecord {
  return {
    id: row.id,
    account: row.account,
    sku: row.sku,
    delta: row.delta,
    integrationId: row.integration_id,
    marketplace: row.marketplace,
    orderId: row.order_id,
    lineId: row.line_id,
    eventId: row.event_id,
    decisionId: row.decision_id,
    createdAt: row.created_at,
  };
}

/** Undelivered outbox rows with their adjustments, by id (both stores; $after/$limit are positional). */
export const undeliveredSql = (after: string, limit: string) =>
  `SELECT ${adjustmentColumns.replaceAll(/(\w+)/g, "a.$1")}, o.attempts, o.last_error, o.next_attempt_at, o.key_with_time
   FROM outbox o JOIN adjustments a ON a.id = o.adjustment_id
   WHERE o.delivered_at IS NULL AND o.adjustment_id > ${after}
   ORDER BY o.adjustment_id LIMIT ${limit}`;
export interface UndeliveredRow extends AdjustmentRow {
  attempts: number;
  last_error: string | null;
  next_attempt_at: number;
  /** 0/1 in SQLite, a boolean in PostgreSQL. */
  key_with_time: number | boolean;
}
export function toUndelivered(row: UndeliveredRow): UndeliveredAdjustment {
  return {
    adjustment: toAdjustment(row),
    attempts: row.attempts,
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at,
    keyWithTime: Boolean(row.key_with_time),
  };
}

export interface HostSinkRow {
  /** 0/1 in SQLite, a boolean in PostgreSQL. */
  enabled: number | boolean;
  changed_at: number;
  changed_by: string;
}
export const hostSinkColumns = "enabled, changed_at, changed_by";
export function toHostSink(row: HostSinkRow): HostSinkState {
  return { enabled: Boolean(row.enabled), changedAt: row.changed_at, changedBy: row.changed_by };
}
