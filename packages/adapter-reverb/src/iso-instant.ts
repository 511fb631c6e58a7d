import { z } from "@restock/core/fields";

const IsoDateTime = z.iso.datetime({ offset: true, local: true });
const HAS_ZONE = /(?:z|[+-]\d{2}(?::?\d{2})?)$/i;

/**
 * The payload's timestamp as a UTC ISO-8601 instant ("2024-03-06T10:00:00-06:00" →
 * "2024-03-06T16:00:00.000Z"), or null when it is absent or not an ISO date-time. A time without
 * a zone is read as UTC so that the result does not depend on the machine's time zone.
 */
export function isoInstant(value: string | null | undefined): string | null {
  if (!value || !IsoDateTime.safeParse(value).success) return null;
  const time = Date.parse(HAS_ZONE.test(value) ? value : `${value}Z`);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}
