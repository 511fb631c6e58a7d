/** sysexits-style codes the CLI uses. */
export const EXIT = { ok: 0, failure: 1, invalidPayload: 2, usage: 64, unavailable: 75, config: 78 } as const;

/** An error the CLI reports as one line on stderr with its exit code. */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
