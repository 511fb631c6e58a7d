/** The webhook secret of the benchmark's Shopify integration (the intake checks every signature). */
export const BENCH_SECRET = "bench-secret-shopify";
