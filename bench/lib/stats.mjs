// Small statistics for benchmark runs: medians of repeated runs and of paired ratios.

export function median(values) {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Nearest-rank percentile (p in 0..100) of unsorted values. */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/**
 * Runs `subject` and `baseline` alternately, `rounds` times, after one discarded warm-up of each.
 * Interleaving keeps both exposed to the same background load, so the median of the per-round
 * ratios holds on a noisy machine even when the absolute figures drift.
 */
export async function paired({ rounds, warmup = true, subject, baseline, onRound }) {
  if (warmup) {
    await baseline(-1);
    await subject(-1);
  }
  const [runs] = await pairedCases({
    rounds,
    cases: [undefined],
    subject: (_case, round) => subject(round),
    baseline: (_case, round) => baseline(round),
    onRound: onRound && ((round, _case, own, base) => onRound(round, own, base)),
  });
  return runs;
}

/**
 * paired() over several cases at once: every round runs each case (its subject and its baseline,
 * which goes first alternating by round) in turn, and rotates which case goes first, so that all
 * cases see the same machine (its speed moves within minutes). Returns one { subjects, baselines }
 * per case, in the cases' order.
 */
export async function pairedCases({ rounds, cases, subject, baseline, onRound }) {
  const runs = cases.map(() => ({ subjects: [], baselines: [] }));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < cases.length; k++) {
      const i = (k + round) % cases.length;
      const { subjects, baselines } = runs[i];
      // Alternate which goes first, so neither always runs on a warmer (or more loaded) machine.
      if (round % 2 === 0) {
        baselines.push(await baseline(cases[i], round));
        subjects.push(await subject(cases[i], round));
      } else {
        subjects.push(await subject(cases[i], round));
        baselines.push(await baseline(cases[i], round));
      }
      onRound?.(round, cases[i], subjects.at(-1), baselines.at(-1));
    }
  }
  return runs;
}

/** Calls `fn` in chunks until `ms` have passed; returns calls per second. */
export function throughput(fn, ms) {
  let calls = 0;
  const started = performance.now();
  let now = started;
  do {
    for (let i = 0; i < 64; i++) fn(i);
    calls += 64;
    now = performance.now();
  } while (now - started < ms);
  return calls / ((now - started) / 1000);
}

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

export function formatCount(value) {
  return Number.isFinite(value) ? integer.format(value) : "n/a";
}

export function formatNumber(value, digits = 2) {
  return Number.isFinite(value) ? value.toFixed(digits) : "n/a";
}

export function formatPercent(fraction) {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(0)}%` : "n/a";
}
