import type { ClaimedEvent, EventEvaluation } from "./types.js";

// An inbox event whose integration row is gone (only a hand edit of the database removes one: the
// API has no delete) fails like an event that cannot be evaluated: retried, then dead-lettered with
// this error, instead of waiting unseen in the inbox. Both stores claim it with these settings.

export const unknownIntegration: Pick<ClaimedEvent, "marketplace" | "account" | "mode"> = {
  marketplace: "unknown",
  account: "unknown",
  mode: "smart",
};

export function missingIntegration(integrationId: string): EventEvaluation {
  return { ok: false, error: `integration ${integrationId} does not exist (removed from the database?)` };
}
