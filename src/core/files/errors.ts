/**
 * Why a file was not read, in words meant for the user. Readers turn it into a warning on the
 * session or source (where, what); the CLI prints it as one line.
 */
export type FileRefusal = 'missing' | 'not-regular' | 'too-large' | 'sqlite-file' | 'changed' | 'unreadable';

export class FileAccessError extends Error {
  override name = 'FileAccessError';

  constructor(
    readonly path: string,
    readonly refusal: FileRefusal,
    message: string,
  ) {
    super(message);
  }
}
