import { expect, test, vi } from "vitest";
import { createLogger } from "../src/ops/logger.js";
import { createFailureLog } from "../src/sinks/failure-log.js";

function capture(level = "info") {
  const lines: { level: number; msg: string; failed?: number; adjustmentId?: number }[] = [];
  const logger = createLogger(level, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines, messages: () => lines.map((line) => line.msg) };
}

test("one warning per window; the failures held back are summed up when the next window starts", () => {
  const { logger, lines } = capture();
  let clock = 0;
  const log = createFailureLog(logger, 60_000, () => clock);
  for (let id = 1; id <= 5; id++) {
    clock = id * 1000;
    log.failed({ adjustmentId: id, attempts: 1, error: "host answered 503" }, "adjustment delivery to the host failed; will retry");
  }
  expect(lines.map((line) => [line.msg, line.adjustmentId])).toEqual([["adjustment delivery to the host failed; will retry", 1]]);
  clock = 61_000;
  log.failed({ adjustmentId: 6, attempts: 2, error: "fetch failed: ECONNREFUSED" }, "adjustment delivery to the host failed; will retry");
  expect(lines.slice(1).map((line) => [line.msg, line.failed ?? line.adjustmentId])).toEqual([
    ["4 more adjustment deliveries to the host failed (each will be retried); the last: host answered 503", 4],
    ["adjustment delivery to the host failed; will retry", 6],
  ]);
});

test("a success ends a run of failures: the summary and a line saying deliveries go through; the next window's first failure is logged at once", () => {
  const { logger, messages } = capture();
  let clock = 0;
  const log = createFailureLog(logger, 60_000, () => clock);
  log.delivered();
  expect(messages()).toEqual([]);
  for (let id = 1; id <= 3; id++) log.failed({ adjustmentId: id, attempts: 1, error: "host answered 500" }, "failed");
  log.delivered();
  log.delivered();
  clock = 60_000;
  log.failed({ adjustmentId: 4, attempts: 1, error: "host answered 500" }, "failed");
  log.delivered();
  expect(messages()).toEqual([
    "failed",
    "2 more adjustment deliveries to the host failed (each will be retried); the last: host answered 500",
    "adjustment deliveries to the host go through again",
    "failed",
    "adjustment deliveries to the host go through again",
  ]);
});

test("a host failing every other delivery (one backend of two down) gets a few lines a window, not two per failure", () => {
  const { logger, messages } = capture();
  let clock = 0;
  const log = createFailureLog(logger, 60_000, () => clock);
  for (let id = 1; id <= 200; id++) {
    clock = id * 100; // 20 s: all in one window
    log.failed({ adjustmentId: id, attempts: 1, error: "host answered 503" }, "failed");
    log.delivered();
  }
  log.flush();
  expect(messages()).toEqual([
    "failed",
    "adjustment deliveries to the host go through again",
    "199 more adjustment deliveries to the host failed (each will be retried); the last: host answered 503",
    "adjustment deliveries to the host go through again",
  ]);
});

test("after the window's summary of failures held since its recovery line, the log says again that deliveries go through", () => {
  vi.useFakeTimers({ now: 0 });
  try {
    const { logger, messages } = capture();
    const log = createFailureLog(logger, 60_000);
    log.failed({ adjustmentId: 1, attempts: 1, error: "host answered 503" }, "failed");
    log.delivered();
    vi.advanceTimersByTime(1_000);
    log.failed({ adjustmentId: 2, attempts: 1, error: "host answered 503" }, "failed");
    log.delivered();
    vi.advanceTimersByTime(60_000);
    log.delivered();
    expect(messages()).toEqual([
      "failed",
      "adjustment deliveries to the host go through again",
      "1 more adjustment deliveries to the host failed (each will be retried); the last: host answered 503",
      "adjustment deliveries to the host go through again",
    ]);
  } finally {
    vi.useRealTimers();
  }
});

test("at debug level every failure is still logged", () => {
  const { logger, lines } = capture("debug");
  const log = createFailureLog(logger, 60_000, () => 0);
  for (let id = 1; id <= 3; id++) log.failed({ adjustmentId: id, attempts: 1, error: "host answered 500" }, "failed");
  expect(lines.map((line) => [line.level, line.adjustmentId])).toEqual([
    [40, 1],
    [20, 2],
    [20, 3],
  ]);
});

test("the failures held back are summed up when their window ends, without waiting for another failure", () => {
  vi.useFakeTimers({ now: 0 });
  try {
    const { logger, lines } = capture();
    const log = createFailureLog(logger, 60_000);
    log.failed({ adjustmentId: 1, attempts: 1, error: "host answered 503" }, "failed");
    vi.advanceTimersByTime(10_000);
    log.failed({ adjustmentId: 2, attempts: 1, error: "host answered 503" }, "failed");
    log.failed({ adjustmentId: 3, attempts: 1, error: "host answered 502" }, "failed");
    vi.advanceTimersByTime(49_999);
    expect(lines.map((line) => line.msg)).toEqual(["failed"]);
    vi.advanceTimersByTime(1);
    expect(lines.slice(1).map((line) => [line.msg, line.failed])).toEqual([
      ["2 more adjustment deliveries to the host failed (each will be retried); the last: host answered 502", 2],
    ]);
    // Logged once: neither the next failure (a new window, logged at once) nor stopping repeats it.
    log.failed({ adjustmentId: 4, attempts: 2, error: "host answered 503" }, "failed");
    log.flush();
    expect(lines.map((line) => line.msg)).toEqual([
      "failed",
      "2 more adjustment deliveries to the host failed (each will be retried); the last: host answered 502",
      "failed",
    ]);
  } finally {
    vi.useRealTimers();
  }
});

// With the wall clock set back (NTP) after a window's first failure, no later failure ended the
// window, and its summary timer was set hours ahead: the host's failures went to debug only.
test("a clock set back starts a new window: its first failure is logged at once", () => {
  const { logger, messages } = capture();
  let clock = 2 * 60 * 60 * 1000;
  const log = createFailureLog(logger, 60_000, () => clock);
  const fail = (adjustmentId: number) =>
    log.failed({ adjustmentId, attempts: 1, error: "host answered 503" }, "adjustment delivery to the host failed; will retry");
  fail(1);
  clock = 0;
  fail(2);
  expect(messages()).toEqual(["adjustment delivery to the host failed; will retry", "adjustment delivery to the host failed; will retry"]);
  log.flush();
});
