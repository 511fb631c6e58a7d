// CPU time spent during a measurement: by a server process, by this process (the load generator)
// and by the whole machine, from /proc (Linux). Flat out on 2 cores the three together show whether
// a server's rate is bound by its own thread or by the machine's CPU.
import { readFileSync } from "node:fs";

// utime and stime in /proc are in clock ticks; USER_HZ is 100 on every Linux Node supports.
const TICK_MS = 10;

/** A process's CPU ticks (all threads), or with `thread` only that thread's (the main thread's id is the pid). */
function processTicks(pid, thread) {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const path = thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`;
  const fields = readFileSync(path, "utf8").split(") ")[1].split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

function machineTicks() {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  // idle and iowait are the 4th and 5th; everything else (user, nice, system, irq, softirq, steal) is busy.
  const idle = cpu[3] + cpu[4];
  const total = cpu.reduce((sum, t) => sum + t, 0);
  return { busy: total - idle, total };
}

/**
 * Starts counting; `stop()` returns milliseconds of CPU for the server (all threads, and its main
 * thread: the event loop) and this process, and the machine's busy share.
 */
export function measureCpu(serverPid) {
  const server = processTicks(serverPid);
  const eventLoop = processTicks(serverPid, serverPid);
  const self = process.cpuUsage();
  const machine = machineTicks();
  return {
    stop() {
      const own = process.cpuUsage(self);
      const after = machineTicks();
      return {
        serverMs: (processTicks(serverPid) - server) * TICK_MS,
        eventLoopMs: (processTicks(serverPid, serverPid) - eventLoop) * TICK_MS,
        loadGeneratorMs: (own.user + own.system) / 1000,
        machineBusy: (after.busy - machine.busy) / (after.total - machine.total),
      };
    },
  };
}
