/**
 * A file's lines, read in chunks, synchronously: imports write inside one SQLite transaction, which
 * cannot wait on a promise, and a chunked read keeps a multi-gigabyte export out of memory. The read
 * goes through the files module (regular files only, never a SQLite file); see files/read.ts.
 */
export { readFileLines as readLines } from '../../files/read';
