/**
 * A set of ids kept as runs of consecutive ids: a replay's accepted events come back from intake in
 * id order, nearly always one after another, so a million of them take a few runs instead of a
 * million array slots (8–12 MB, against a replay that must stay under 256 MiB).
 */
export class IdRuns {
  /** [first, last] of each run, flattened. */
  readonly #bounds: number[] = [];

  add(id: number): void {
    const bounds = this.#bounds;
    if (bounds.length > 0 && bounds[bounds.length - 1] === id - 1) bounds[bounds.length - 1] = id;
    else bounds.push(id, id);
  }

  /** How many runs are kept (what the set costs). */
  get runs(): number {
    return this.#bounds.length / 2;
  }

  /** The ids in slices of at most `size`, in the order they were added. */
  *slices(size: number): Generator<number[]> {
    let slice: number[] = [];
    for (let i = 0; i < this.#bounds.length; i += 2) {
      for (let id = this.#bounds[i]!; id <= this.#bounds[i + 1]!; id++) {
        slice.push(id);
        if (slice.length === size) {
          yield slice;
          slice = [];
        }
      }
    }
    if (slice.length > 0) yield slice;
  }
}
