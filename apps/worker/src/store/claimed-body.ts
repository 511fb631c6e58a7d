import type { ClaimedEvent, EvaluateEvent } from "./types.js";

// Both stores claim an event's raw body only when it has no stored parse (intake's parse result:
// an event decided from it never reads its ~2 KB body), and read the rest only for the events
// the evaluator says need it (a stored parse from another adapter version).

/** Whether a claimed event whose body was left out must have it read before evaluation. */
export function needsBody(evaluate: EvaluateEvent, event: Pick<ClaimedEvent, "marketplace" | "parsed">): boolean {
  return evaluate.needsBody?.(event) ?? true;
}

// The throwing getter sits on a shared prototype: defining it on every claimed event cost more than
// the rest of building the event (drain profile).
const unreadBody = Object.freeze(
  Object.create(Object.prototype, {
    body: {
      enumerable: false,
      get(this: { id: number }) {
        throw new Error(`event ${this.id}: its body was not read with the claim (evaluate.needsBody said it was not needed)`);
      },
    },
  }),
);

/** The claimed event; a body left unread throws when read, rather than looking empty. */
export function withBody(event: Omit<ClaimedEvent, "body">, body: Buffer | null): ClaimedEvent {
  if (body !== null) return { ...event, body };
  return Object.assign(Object.create(unreadBody), event) as ClaimedEvent;
}
