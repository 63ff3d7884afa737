/** An error the CLI reports as one `arbor: …` line with exit code 1. */
export class CliError extends Error {}
