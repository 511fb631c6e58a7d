import { Presets, SingleBar } from "cli-progress";

export interface ReplayProgress {
  update(bytes: number, events: number): void;
  stop(): void;
}

/**
 * A progress bar with rate and ETA on a terminal; plain progress lines (every 2 s) otherwise,
 * so logs of a piped run stay readable. Progress goes to stderr: stdout carries the summary.
 */
export function createReplayProgress(totalBytes: number, enabled: boolean): ReplayProgress {
  const startedAt = Date.now();
  const rate = (events: number) => Math.round(events / Math.max(0.001, (Date.now() - startedAt) / 1000));
  // From the share of the file read so far: lines are small and many, so this is steadier than per-update rates.
  const eta = (bytes: number) => {
    const elapsed = (Date.now() - startedAt) / 1000;
    const fraction = totalBytes > 0 ? bytes / totalBytes : 1;
    return fraction > 0 ? `${Math.max(0, Math.round(elapsed / fraction - elapsed))}s` : "?";
  };
  if (!enabled) return { update() {}, stop() {} };
  if (process.stderr.isTTY) {
    const bar = new SingleBar(
      {
        format: "replay |{bar}| {percentage}% | {events} events | {rate}/s | ETA {etaText}",
        barsize: 24,
        stream: process.stderr,
        fps: 10,
        // Not hidden: Ctrl-C ends the process without the bar's stop(), which would show it again.
        hideCursor: false,
      },
      Presets.shades_classic,
    );
    bar.start(Math.max(1, totalBytes), 0, { events: 0, rate: 0, etaText: "?" });
    return {
      update(bytes, events) {
        bar.update(bytes, { events, rate: rate(events), etaText: eta(bytes) });
      },
      stop() {
        bar.stop();
      },
    };
  }
  let lastPrint = startedAt;
  let last = { bytes: 0, events: 0 };
  const print = () => {
    const elapsed = (Date.now() - startedAt) / 1000;
    const fraction = totalBytes > 0 ? last.bytes / totalBytes : 1;
    const eta = fraction > 0 ? Math.round(elapsed / fraction - elapsed) : undefined;
    const percent = Math.floor(fraction * 100);
    process.stderr.write(
      `replay: ${last.events} events, ${percent}%, ${rate(last.events)} events/s, ETA ${eta === undefined ? "?" : `${eta}s`}\n`,
    );
  };
  return {
    update(bytes, events) {
      last = { bytes, events };
      if (Date.now() - lastPrint >= 2000) {
        lastPrint = Date.now();
        print();
      }
    },
    stop() {
      print();
    },
  };
}
