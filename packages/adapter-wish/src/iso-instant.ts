import { z } from "@restock/core/fields";

const IsoDateTime = z.iso.datetime({ offset: true, local: true });
const HAS_ZONE = /(?:z|[+-]\d{2}(?::?\d{2})?)$/i;

/**
 * The payload's timestamp as a UTC ISO-8601 instant, or null when it is absent or not an ISO
 * date-time. Wish writes times without a zone ("2019-09-02T10:14:58"); they are UTC, and are read
 * as such so that the result does not depend on the machine's time zone.
 */
export function isoInstant(value: string | null | undefined): string | null {
  if (!value || !IsoDateTime.safeParse(value).success) return null;
  const time = Date.parse(HAS_ZONE.test(value) ? value : `${value}Z`);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}
