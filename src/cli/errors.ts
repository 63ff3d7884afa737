/**
 * An error the CLI reports as one `arbor: …` line with exit code 1; `details` are printed below it as
 * they are (the layouts Arbor reads, after a path that holds none).
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}

/** Bad usage found after commander parsed the line (a value out of range, a missing --yes): exit 2. */
export class UsageError extends Error {}
