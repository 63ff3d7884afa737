/**
 * Every plain-file access of Arbor's core and CLI: stat-first regular-file checks, size limits, and
 * the refusal to open SQLite databases or their sidecars as files (see open.ts). ESLint forbids
 * fs open/read/copy functions everywhere else in src (eslint.config.js).
 */
export { FileAccessError, type FileRefusal } from './errors';
export { describeKind, isDirectoryPath, kindOf, regularFileStat, statPath, statRegularFile, type FileKind } from './kind';
export { READ_LIMITS, formatBytes } from './limits';
export { assertPlainFile, openPlainFile, type OpenedFile, type OpenOptions } from './open';
export { copyPlainFile, openPlainReadStream, readFileBytes, readFileHead, readFileLines, readRange, readTextFile } from './read';
export { sqliteSidecarOwner } from './sidecar';
export { guardedCopyFileSync, guardedOpenSync, guardedReadFileSync } from './guarded-fs';
export { copyFileInChildProcess } from './child-copy';
