/** Whether a value is a Promise or another thenable: what a function compiled down from `async` returns. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === "object" && typeof (value as { then?: unknown }).then === "function";
}
