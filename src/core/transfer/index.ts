/**
 * Export and import of sessions between every store layout (issue 4). The UI and the CLI use only
 * what is exported here; see docs/INTERCHANGE.md for the file format.
 */
export { exportSessions, EXPORT_FORMATS, SessionNotFoundError, type ExportFormat, type ExportOptions, type ExportProgress, type ExportSummary } from './export/export';
export { exportToFile } from './export/export-to-file';
export { importSessions, ImportError, type ImportOptions, type ImportProgress } from './import/import';
export type { ConflictMode, ImportReport, SessionAction, SessionOutcome } from './import/report';
export type { TreeMode } from './import/linearize';
export { openImportInput, type ImportInput, type InputKind } from './import/input';
export { InterchangeError } from './interchange/errors';
export { INTERCHANGE_VERSION } from './interchange/version';
export { readInterchangeJsonl } from './interchange/read-jsonl';
export { readInterchangeJson } from './interchange/read-json';
export { canonicalSession } from './canonical';
export { LOST } from './codec/lost';
export type { TransferSession, TransferMessage, TransferBranch } from './session';
