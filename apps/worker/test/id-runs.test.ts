import { expect, test } from "vitest";
import { IdRuns } from "../src/cli/id-runs.js";

test("consecutive ids are kept as one run, so a million accepted events cost one pair of numbers", () => {
  const ids = new IdRuns();
  for (let id = 1; id <= 1_000_000; id++) ids.add(id);
  expect(ids.runs).toBe(1);
  const slices = [...ids.slices(10_000)];
  expect(slices).toHaveLength(100);
  expect(slices[0]![0]).toBe(1);
  expect(slices.at(-1)!.at(-1)).toBe(1_000_000);
});

test("gaps (another sender's events in between) start new runs; slices give back every id, in order, at most `size` each", () => {
  const ids = new IdRuns();
  for (const id of [3, 4, 5, 9, 10, 12, 7]) ids.add(id);
  expect(ids.runs).toBe(4);
  expect([...ids.slices(2)]).toEqual([[3, 4], [5, 9], [10, 12], [7]]);
  expect([...new IdRuns().slices(2)]).toEqual([]);
});
