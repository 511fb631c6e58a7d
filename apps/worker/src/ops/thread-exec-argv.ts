/**
 * The Node options a worker thread starts with: the process's own (a thread inherits them by
 * default), less `--input-type`, which a thread refuses at start: a host run as
 * `node --input-type=module -e …` otherwise lost its processing thread (processing fell back to the
 * main thread).
 */
export function threadExecArgv(execArgv: readonly string[] = process.execArgv): string[] {
  return execArgv.filter((arg, i) => !arg.startsWith("--input-type") && execArgv[i - 1] !== "--input-type");
}
