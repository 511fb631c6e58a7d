import { createHook } from "node:async_hooks";
import childProcess from "node:child_process";
import nodeCrypto from "node:crypto";
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";

type Patchable = Record<string, unknown>;

/**
 * Runs `work` synchronously and lists the I/O it attempted: every asynchronous resource it started
 * (sockets, timers, file requests, promises: async_hooks sees them however they were reached), every
 * synchronous file-system or child-process call, and `fetch`. Each of those calls is also refused
 * (it throws), and recorded first, so an adapter that catches the error is still caught. Named
 * imports of `node:fs`, `node:child_process` and `node:crypto` see the replacements too
 * (syncBuiltinESMExports). Reads of the clock are listed as well (`Date.now`, `new Date()`,
 * `Date()`, `performance.now`, `process.hrtime`, an `Intl.DateTimeFormat`'s `format()` or
 * `formatToParts()` with no date), and answered, as are `Math.random`, the global
 * `crypto.randomUUID` / `getRandomValues` and `node:crypto`'s `randomUUID`, `randomBytes`,
 * `randomInt`, `randomFillSync` and `getRandomValues` (listed as the global one's, which it calls): a result that depends on them is not a
 * function of the payload. A reference taken before `work` runs (`const { randomUUID } =
 * require("node:crypto")` at module load, a bound `format` kept from an earlier call) is not seen.
 */
export function watchIo<T>(work: () => T): { result: T; io: string[] } {
  const io: string[] = [];
  const restore: (() => void)[] = [];
  const refuse = (owner: Patchable, name: string, label: string) => {
    const original = owner[name];
    owner[name] = () => {
      io.push(label);
      throw new Error(`adapters must not do I/O (${label})`);
    };
    restore.push(() => {
      owner[name] = original;
    });
  };
  for (const name of Object.keys(fs)) {
    if (name.endsWith("Sync") && typeof (fs as unknown as Patchable)[name] === "function")
      refuse(fs as unknown as Patchable, name, `fs.${name}`);
  }
  for (const name of ["execSync", "execFileSync", "spawnSync"]) refuse(childProcess as unknown as Patchable, name, `child_process.${name}`);
  refuse(globalThis as unknown as Patchable, "fetch", "fetch");
  watchClock(io, restore);
  watchChance(io, restore);
  syncBuiltinESMExports();
  const hook = createHook({
    init(_id, type) {
      io.push(`async ${type}`);
    },
  });
  hook.enable();
  try {
    return { result: work(), io };
  } finally {
    hook.disable();
    for (const undo of restore.reverse()) undo();
    syncBuiltinESMExports();
  }
}

/** Replaces the global Date and performance.now with ones that record each read of the clock. */
function watchClock(io: string[], restore: (() => void)[]): void {
  const RealDate = globalThis.Date;
  const realNow = RealDate.now;
  // A proxy, not a subclass: `x instanceof Date` and Date's statics behave as before.
  globalThis.Date = new Proxy(RealDate, {
    construct(target, args, newTarget) {
      if (args.length === 0) io.push("new Date()");
      return Reflect.construct(target, args, newTarget === globalThis.Date ? target : newTarget);
    },
    apply(target, thisArg, args) {
      io.push("Date()");
      return Reflect.apply(target, thisArg, args);
    },
    get(target, key, receiver) {
      if (key === "now") {
        return () => {
          io.push("Date.now");
          return realNow.call(target);
        };
      }
      return Reflect.get(target, key, receiver);
    },
  });
  const realPerformanceNow = performance.now;
  const ownNow = Object.hasOwn(performance, "now");
  performance.now = () => {
    io.push("performance.now");
    return realPerformanceNow.call(performance);
  };
  restore.push(() => {
    globalThis.Date = RealDate;
    if (ownNow) performance.now = realPerformanceNow;
    else delete (performance as { now?: unknown }).now;
  });
  watchDateTimeFormat(io, restore);
}

/**
 * `new Intl.DateTimeFormat(...).format()` and `formatToParts()` with no date format the current
 * time: they read the clock without the global `Date`, which the determinism check's fake clock
 * does not move. `format` is a getter returning a bound function; both are replaced on the prototype.
 */
function watchDateTimeFormat(io: string[], restore: (() => void)[]): void {
  const prototype = Intl.DateTimeFormat.prototype;
  const format = Object.getOwnPropertyDescriptor(prototype, "format");
  const getFormat = format?.get;
  if (format && getFormat) {
    Object.defineProperty(prototype, "format", {
      ...format,
      get(this: Intl.DateTimeFormat) {
        const bound = getFormat.call(this) as (date?: Date | number) => string;
        return (date?: Date | number) => {
          if (date === undefined) io.push("Intl.DateTimeFormat format()");
          return bound(date);
        };
      },
    });
    restore.push(() => Object.defineProperty(prototype, "format", format));
  }
  const formatToParts = Object.getOwnPropertyDescriptor(prototype, "formatToParts");
  const realFormatToParts = formatToParts?.value as ((date?: Date | number) => Intl.DateTimeFormatPart[]) | undefined;
  if (formatToParts && realFormatToParts) {
    Object.defineProperty(prototype, "formatToParts", {
      ...formatToParts,
      value: function (this: Intl.DateTimeFormat, date?: Date | number) {
        if (date === undefined) io.push("Intl.DateTimeFormat formatToParts()");
        return realFormatToParts.call(this, date);
      },
    });
    restore.push(() => Object.defineProperty(prototype, "formatToParts", formatToParts));
  }
}

/** Records each call of `name` on `owner` in `io` as `label`, still answering it; undone by `restore`. */
function record(owner: Patchable, name: string, label: string, io: string[], restore: (() => void)[]): void {
  const original = owner[name] as ((...args: unknown[]) => unknown) | undefined;
  if (typeof original !== "function") return;
  const own = Object.hasOwn(owner, name);
  // A fixed property (node:crypto's getRandomValues, a getter that calls the global crypto's,
  // which is recorded) cannot be replaced.
  const descriptor = Object.getOwnPropertyDescriptor(owner, name);
  if (descriptor && !descriptor.writable && !descriptor.set) return;
  const recorded = function (this: unknown, ...args: unknown[]) {
    io.push(label);
    return original.apply(this, args);
  };
  // hrtime carries hrtime.bigint: keep it reachable (and recorded) on the replacement.
  if (typeof (original as { bigint?: unknown }).bigint === "function") {
    const bigint = (original as unknown as { bigint: () => bigint }).bigint;
    (recorded as unknown as { bigint: () => bigint }).bigint = () => {
      io.push(`${label}.bigint`);
      return bigint.call(original);
    };
  }
  owner[name] = recorded;
  restore.push(() => {
    if (own) owner[name] = original;
    else delete owner[name];
  });
}

/**
 * Chance and the process clock: `Math.random`, the global `crypto.randomUUID` and
 * `crypto.getRandomValues`, `node:crypto`'s own random functions (another object than the global
 * `crypto`; a named import sees the replacement once watchIo syncs the builtins' ESM exports),
 * `process.hrtime`.
 */
function watchChance(io: string[], restore: (() => void)[]): void {
  record(Math as unknown as Patchable, "random", "Math.random", io, restore);
  record(globalThis.crypto as unknown as Patchable, "randomUUID", "crypto.randomUUID", io, restore);
  record(globalThis.crypto as unknown as Patchable, "getRandomValues", "crypto.getRandomValues", io, restore);
  // Not getRandomValues: node:crypto's is not replaceable, and it calls the global crypto's, recorded above.
  for (const name of ["randomUUID", "randomBytes", "randomInt", "randomFillSync"]) {
    record(nodeCrypto as unknown as Patchable, name, `node:crypto.${name}`, io, restore);
  }
  record(process as unknown as Patchable, "hrtime", "process.hrtime", io, restore);
}
