import type { Writable } from 'node:stream';
import type { OpenOptions, StoreSource } from './adapters/adapter';
import { applyCleanup as applyWith } from './cleanup/apply';
import { planCleanup as planWith } from './cleanup/plan';
import type { ApplyOptions, CleanupOperation, CleanupPlan, CleanupResult, PlanOptions } from './cleanup/types';
import { discoverSources as discoverWith, openStore as openWith, reopenStore as reopenWith, type DiscoverOptions, type DiscoveryResult } from './scan/discover';
import type { HotJournalOptions } from './scan/hot-journal';
import { layoutOf, type StoreLayout } from './stores/layout';
import { LAYOUTS } from './stores/registry';
import { exportSessions as exportWith, type ExportOptions, type ExportSummary } from './transfer/export/export';
import { exportToFile as exportToFileWith } from './transfer/export/export-to-file';
import { importSessions as importWith, newStoreLayoutNames, type ImportOptions } from './transfer/import/import';
import type { ImportReport } from './transfer/import/report';

/**
 * The composition root of the core: the generic machinery (discovery, cleanup, export, import) bound
 * to the layouts in the registry. The generic modules never import the registry; they take the list
 * of layouts they are handed. The service, the CLI, the bench and the tests call them through here.
 */

export { LAYOUTS };

/** The descriptor of a layout Arbor knows, by name. */
export function layoutNamed(format: string): StoreLayout | undefined {
  return layoutOf(LAYOUTS, format);
}

/** The descriptor of an open source's layout (every source was opened by one of LAYOUTS). */
export function layoutOfSource(source: Pick<StoreSource, 'format' | 'path'>): StoreLayout {
  const layout = layoutOf(LAYOUTS, source.format);
  if (!layout) throw new Error(`${source.path}: opened as ${source.format}, a layout the registry does not list`);
  return layout;
}

export const openStore = (path: string, options: OpenOptions & HotJournalOptions = {}): StoreSource => openWith(path, LAYOUTS, options);

/** Opens a store again whose layout is known (a reload), without deciding its kind again. */
export const reopenStore = (path: string, layout: StoreLayout, options: OpenOptions & HotJournalOptions = {}): StoreSource => reopenWith(path, layout, LAYOUTS, options);

export const discoverSources = (paths: readonly string[], options: DiscoverOptions = {}): DiscoveryResult => discoverWith(paths, LAYOUTS, options);

export const planCleanup = (target: string | StoreSource, operation: CleanupOperation, options: Omit<PlanOptions, 'layouts'> = {}): CleanupPlan =>
  planWith(target, operation, { ...options, layouts: LAYOUTS });

export const applyCleanup = (plan: CleanupPlan, options: Omit<ApplyOptions, 'layouts'> = {}): Promise<CleanupResult> => applyWith(plan, { ...options, layouts: LAYOUTS });

export const importSessions = (inputPath: string, options: Omit<ImportOptions, 'layouts'>): Promise<ImportReport> => importWith(inputPath, { ...options, layouts: LAYOUTS });

export const exportSessions = (sources: readonly StoreSource[], options: Omit<ExportOptions, 'layouts'>, out: Writable): Promise<ExportSummary> =>
  exportWith(sources, { ...options, layouts: LAYOUTS }, out);

export const exportToFile = (sources: readonly StoreSource[], options: Omit<ExportOptions, 'layouts'>, file: string): Promise<ExportSummary> =>
  exportToFileWith(sources, { ...options, layouts: LAYOUTS }, file);

/** The layouts an import can write and create new stores of, by name (Open WebUI only takes imports into an existing database). */
export const WRITABLE_LAYOUT_NAMES: readonly string[] = newStoreLayoutNames(LAYOUTS);
