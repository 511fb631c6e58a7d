/**
 * The rule book's cumulative rule (§3): an event reports the TOTAL cancelled so far on a line, so
 * only the increase over what was already processed can restore; a duplicate or an older total
 * restores nothing. A withheld decision still advances the processed quantity, so those units can
 * never be restored later by a different reason.
 */
export function advanceLine(processed: number, quantity: number, restore: boolean): { processed: number; restoredNow: number } {
  const increase = quantity > processed ? quantity - processed : 0;
  return { processed: processed + increase, restoredNow: restore ? increase : 0 };
}
