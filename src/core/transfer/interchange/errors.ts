/**
 * An import file that is not a valid Arbor export. Carries the 1-based line it failed on (JSON lines;
 * for a JSON document, the line of the parse error or of the value that is wrong) so the user can fix it.
 */
export class InterchangeError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly reason: string,
  ) {
    super(line === null ? `${file}: ${reason}` : `${file} line ${line}: ${reason}`);
    this.name = 'InterchangeError';
  }
}
