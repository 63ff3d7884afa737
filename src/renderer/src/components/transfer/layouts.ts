import type { FormatName, LayoutInfo } from '../../../../shared/dto';

/**
 * Layouts as the core describes them (`layouts.list`, kept in the store): the renderer decides what
 * to offer from their capabilities, never from a format name.
 */

/** The layouts an import can create a new store of, trees first (they keep the most). */
export function newStoreLayouts(layouts: readonly LayoutInfo[]): LayoutInfo[] {
  const targets = layouts.filter((l) => l.capabilities.importTarget && l.capabilities.newStores !== false);
  return [...targets.filter((l) => l.capabilities.history === 'tree'), ...targets.filter((l) => l.capabilities.history !== 'tree')];
}

export function layoutLabel(layouts: readonly LayoutInfo[], format: FormatName): string {
  return layouts.find((l) => l.format === format)?.label ?? format;
}

/** The last part of a path, for naming a source or file in a sentence. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).at(-1) ?? path;
}
