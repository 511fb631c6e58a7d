import { cpus, loadavg, totalmem } from "node:os";

/** What the figures were measured on: they only compare with figures from the same machine. */
export function machineInfo() {
  const cores = cpus();
  return {
    cpuModel: cores[0]?.model?.trim() ?? "unknown",
    cores: cores.length,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
  };
}
