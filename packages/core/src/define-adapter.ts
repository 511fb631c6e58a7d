import { z } from "zod";
import { hasBrand, setBrand } from "./brand.js";
import { normalizeKey } from "./normalize-key.js";
import type { ParseResult } from "./schemas/cancellation.js";
import { ReasonRow, type ReasonTable } from "./schemas/reason-table.js";
import type { WebhookRequest } from "./webhook.js";

/** The adapter contract version this core implements. Bumped only on a breaking contract change. */
export const CONTRACT_VERSION = 1 as const;

export interface AdapterCapabilities {
  /** How `verifyWebhook` authenticates deliveries; `none` when the marketplace only polls. */
  webhookAuth: "signature" | "basic-auth" | "shared-secret" | "none";
  /** Payload encodings `parse` accepts. */
  formats: readonly ("json" | "xml")[];
}

export interface AdapterDefinition {
  /** Stable id, lower-case: `amazon`, `shopify`, `acme-etsy`. It is the marketplace name integrations use. */
  id: string;
  displayName: string;
  contractVersion: typeof CONTRACT_VERSION;
  /** The adapter package's version, recorded with every decision it parsed. */
  version?: string;
  reasons: ReasonTable;
  capabilities?: Partial<AdapterCapabilities>;
  /**
   * Maps a raw payload (parsed JSON, or the body as text or bytes, which the adapter may parse
   * itself: XML, or JSON holding integers above 2^53) to canonical cancellations and ignored
   * events. Pure and synchronous; throws only PayloadError.
   */
  parse(raw: unknown): ParseResult;
  /**
   * Checks a delivery's authenticity against the integration's secret, synchronously: only `true`
   * lets it in. Not `async` (refused here: a Promise is a refusal), and returns `false` for anything
   * missing or malformed instead of throwing.
   */
  verifyWebhook?(request: WebhookRequest, secret: string): boolean;
  /**
   * Why a secret cannot authenticate any delivery (a form `verifyWebhook` does not read), or null.
   * Hosts call it when the secret is set, so that a mistyped secret is refused then, instead of
   * every delivery failing authentication afterwards. Optional: without it every secret is taken.
   */
  checkWebhookSecret?(secret: string): string | null;
}

export interface Adapter extends Readonly<Omit<AdapterDefinition, "capabilities" | "version">> {
  readonly version: string;
  readonly capabilities: Readonly<AdapterCapabilities>;
}

/** The optional checks an adapter may define: `DefinedAdapter` types those it has as present. */
export type WebhookCheck = "verifyWebhook" | "checkWebhookSecret";

/**
 * The adapter `defineAdapter` returns: an `Adapter` whose checks named in `Present` are known to be
 * there, so a host calling `shopifyAdapter.verifyWebhook(...)` needs no `!`. Still an `Adapter`
 * wherever one is taken. Parameterised by the names only, so an adapter package's declarations say
 * `DefinedAdapter<"verifyWebhook">`, not a copy of its whole definition.
 */
export type DefinedAdapter<Present extends WebhookCheck = never> = Adapter & {
  readonly [Check in Present]-?: NonNullable<AdapterDefinition[Check]>;
};

/** Which of the optional checks a definition gives. */
type ChecksOf<Definition> = {
  [Check in WebhookCheck]: Definition extends { [Key in Check]: NonNullable<AdapterDefinition[Check]> } ? Check : never;
}[WebhookCheck];

/**
 * Keys of a definition that `AdapterDefinition` does not have, each typed `never`: an inferred
 * `Definition` takes any key, so the object literal's excess property check is made here. A
 * misspelt `verifyWebhok` compiled, and was dropped, leaving the adapter without its check.
 */
type NoOtherKeys<Definition> = { [Key in Exclude<keyof Definition, keyof AdapterDefinition>]: never };

const AdapterShape = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "must be lower-case letters, digits and dashes"),
  displayName: z.string().min(1),
  contractVersion: z.number(),
  version: z.string().optional(),
  reasons: z.array(ReasonRow),
  capabilities: z
    .object({
      webhookAuth: z.enum(["signature", "basic-auth", "shared-secret", "none"]).optional(),
      formats: z
        .array(z.enum(["json", "xml"]))
        .min(1, "must name at least one format: with none, every delivery would be refused")
        .optional(),
    })
    // A misspelt key (`format`) would otherwise be dropped, and its default used silently.
    .strict()
    .optional(),
  parse: z.custom<AdapterDefinition["parse"]>((value) => typeof value === "function", "must be a function"),
  verifyWebhook: z.custom<AdapterDefinition["verifyWebhook"]>((value) => typeof value === "function", "must be a function").optional(),
  checkWebhookSecret: z
    .custom<AdapterDefinition["checkWebhookSecret"]>((value) => typeof value === "function", "must be a function")
    .optional(),
});

const ADAPTER_DEFINITION_ERROR = Symbol.for("restock.AdapterDefinitionError");

/** A broken adapter definition. `instanceof` holds across core's ESM and CJS builds (a `Symbol.for` brand). */
export class AdapterDefinitionError extends Error {
  override readonly name = "AdapterDefinitionError";

  static [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the right-hand side, a subclass when inherited
    return hasBrand(this, ADAPTER_DEFINITION_ERROR, value);
  }
}
setBrand(AdapterDefinitionError, ADAPTER_DEFINITION_ERROR);

/**
 * Declares an adapter. Checks the definition once (id, contract version, reason table with no
 * code twice and no two codes of different outcomes sharing a normalized key, a synchronous verifyWebhook, not one declared with
 * `webhookAuth: "none"`) so that a broken adapter fails when it is loaded, not on
 * the first cancellation.
 */
export function defineAdapter<Definition extends AdapterDefinition>(
  definition: Definition & AdapterDefinition & NoOtherKeys<Definition>,
): DefinedAdapter<ChecksOf<Definition>> {
  const checked = AdapterShape.safeParse(definition);
  const label = typeof definition?.id === "string" ? definition.id : "(unnamed)";
  if (!checked.success) {
    const first = checked.error.issues[0];
    const path = first?.path.join(".") || "(the definition)";
    throw new AdapterDefinitionError(`adapter ${label}: ${path}: ${first?.message}`);
  }
  if (definition.contractVersion !== CONTRACT_VERSION) {
    throw new AdapterDefinitionError(
      `adapter ${label} implements contract version ${definition.contractVersion}, this core implements ${CONTRACT_VERSION}`,
    );
  }
  // The engine reads the result synchronously: an `async` parse's Promise was refused at every
  // delivery as "an invalid result at cancellations", with nothing saying why.
  if (isAsyncFunction(definition.parse)) {
    throw new AdapterDefinitionError(
      `adapter ${label}: parse: must return its result synchronously, not a Promise (it is an async function: every payload would be refused)`,
    );
  }
  // The worker lets a delivery in only when verifyWebhook returns `true`: an `async` one returns a
  // Promise, and every delivery would be refused (401) by an adapter that loaded and passed the kit.
  if (definition.verifyWebhook && isAsyncFunction(definition.verifyWebhook)) {
    throw new AdapterDefinitionError(
      `adapter ${label}: verifyWebhook: must return true or false synchronously, not a Promise (it is an async function: the worker would refuse every delivery)`,
    );
  }
  // Hosts take its answer as the reason a secret is refused: a Promise is truthy, so every secret
  // set would be refused, with "[object Promise]" for a reason.
  if (definition.checkWebhookSecret && isAsyncFunction(definition.checkWebhookSecret)) {
    throw new AdapterDefinitionError(
      `adapter ${label}: checkWebhookSecret: must return null or a reason synchronously, not a Promise (it is an async function: every secret would be refused)`,
    );
  }
  // The worker falls back to a shared secret when there is no verifyWebhook: an adapter that says its
  // deliveries are signed, or sent with basic auth, would have them checked as a shared token instead.
  const webhookAuth = definition.capabilities?.webhookAuth;
  if (!definition.verifyWebhook && (webhookAuth === "signature" || webhookAuth === "basic-auth")) {
    throw new AdapterDefinitionError(
      `adapter ${label}: capabilities.webhookAuth is "${webhookAuth}", but no verifyWebhook checks it: give verifyWebhook, ` +
        `or declare "shared-secret" (the token restock checks for you) or "none" (the marketplace is only polled)`,
    );
  }
  if (definition.verifyWebhook && definition.capabilities?.webhookAuth === "none") {
    throw new AdapterDefinitionError(
      `adapter ${label}: capabilities.webhookAuth is "none" (the marketplace is only polled), but verifyWebhook is given: ` +
        `declare how it authenticates deliveries ("signature", "basic-auth" or "shared-secret"), or drop verifyWebhook`,
    );
  }
  const codes = new Set<string>();
  const byKey = new Map<string, ReasonTable[number]>();
  for (const [index, row] of definition.reasons.entries()) {
    if (row.code.trim() === "") throw new AdapterDefinitionError(`adapter ${label}: reasons.${index}.code: must not be blank`);
    // A code twice leaves its second row dead: the first always matches it exactly.
    if (codes.has(row.code)) throw new AdapterDefinitionError(`adapter ${label}: reason code "${row.code}" appears twice`);
    codes.add(row.code);
    // Codes without a-z or 0-9 are matched exactly only (classifyReason): they share no key.
    const key = normalizeKey(row.code);
    if (key === "") continue;
    // Codes are matched exactly first, then by key (rule book §2), so two codes may share a key (Wish's
    // `1`, Unable to Ship, and `-1`, Other): each matches its own row, and another spelling the first
    // one's. They must share an outcome, or whether such a spelling restores would hang on the table's
    // order (and the ledger counts a line's units by key).
    const other = byKey.get(key);
    if (other === undefined) byKey.set(key, row);
    else if (other.outcome !== row.outcome) {
      throw new AdapterDefinitionError(
        `adapter ${label}: reason codes "${other.code}" (${other.outcome}) and "${row.code}" (${row.outcome}) share the normalized key "${key}": ` +
          "a spelling of either matches the first; give them one outcome, or drop one",
      );
    }
  }
  const reasons = Object.freeze(definition.reasons.map((row) => Object.freeze({ ...row })));
  const adapter: Adapter = Object.freeze({
    id: definition.id,
    displayName: definition.displayName,
    contractVersion: CONTRACT_VERSION,
    version: definition.version ?? "0.0.0",
    reasons,
    capabilities: Object.freeze({
      webhookAuth: definition.capabilities?.webhookAuth ?? (definition.verifyWebhook ? "signature" : "none"),
      formats: Object.freeze([...new Set<AdapterCapabilities["formats"][number]>(definition.capabilities?.formats ?? ["json"])]),
    }),
    parse: definition.parse,
    ...(definition.verifyWebhook ? { verifyWebhook: definition.verifyWebhook } : {}),
    ...(definition.checkWebhookSecret ? { checkWebhookSecret: definition.checkWebhookSecret } : {}),
  });
  // The optional functions are copied exactly when the definition has them: the type says so.
  return adapter as DefinedAdapter<ChecksOf<Definition>>;
}

/**
 * A function declared `async` (in any realm). One compiled down to a generator behind `__awaiter`
 * looks like any function: the conformance kit's call of verifyWebhook catches that one.
 */
function isAsyncFunction(value: unknown): boolean {
  return Object.prototype.toString.call(value) === "[object AsyncFunction]";
}
