import { createHook } from "node:async_hooks";
import childProcess from "node:child_process";
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";

type Patchable = Record<string, unknown>;

/**
 * Runs `work` synchronously and lists the I/O it attempted: every asynchronous resource it started
 * (sockets, timers, file requests, promises: async_hooks sees them however they were reached), every
 * synchronous file-system or child-process call, and `fetch`. Each of those calls is also refused
 * (it throws), and recorded first, so an adapter that catches the error is still caught. Named
 * imports of `node:fs` and `node:child_process` see the replacements too (syncBuiltinESMExports).
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
