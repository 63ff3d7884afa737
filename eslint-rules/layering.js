import { statSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';

/**
 * Arbor's layering in the core (docs/ARCHITECTURE.md, "Layers"): everything one store layout knows
 * lives in its folder under src/core/stores/<layout>/; the generic machinery works from the
 * descriptors it is handed. So:
 * - a generic module (src/core outside stores/, catalog.ts and service/) imports from stores/ only
 *   the descriptor types (stores/layout.ts), never a layout or the registry;
 * - a layout's folder never imports another layout's folder;
 * - only the composition roots (catalog.ts, service/, and the registry itself) import the registry.
 */

const CORE = `src${sep}core${sep}`;

function coreRelative(file) {
  const at = file.lastIndexOf(CORE);
  return at < 0 ? null : file.slice(at + CORE.length);
}

/**
 * The layout folder a core path is in (or is: an import of `../stores/x` means its index), else null.
 * Files directly in stores/ (the descriptor types, the registry, helpers over descriptors) are no layout.
 */
function layoutFolder(path, coreRoot) {
  const parts = path.replace(/\.ts$/, '').split(sep);
  if (parts[0] !== 'stores' || parts.length < 2) return null;
  if (parts.length > 2) return parts[1];
  try {
    return statSync(join(coreRoot, 'stores', parts[1])).isDirectory() ? parts[1] : null;
  } catch {
    return null;
  }
}

const isRoot = (path) => path === 'catalog.ts' || path.startsWith(`service${sep}`);

export default {
  rules: {
    layering: {
      meta: { type: 'problem', messages: { generic: '{{from}} is generic machinery: it may import the descriptor types in stores/, not the layout {{to}} (the service hands the descriptor down).', crossLayout: 'The {{from}} layout imports the {{to}} layout: a layout folder stands alone (shared code goes into the generic machinery).', registry: 'Only catalog.ts and the service import the registry ({{from}} imports it).' } },
      create(context) {
        const file = coreRelative(context.filename);
        if (file === null) return {};
        const coreRoot = context.filename.slice(0, context.filename.lastIndexOf(CORE) + CORE.length);
        const check = (node) => {
          const spec = node.source?.value;
          if (typeof spec !== 'string' || !spec.startsWith('.')) return;
          const target = coreRelative(normalize(join(dirname(context.filename), spec)));
          if (target === null || !target.startsWith(`stores${sep}`)) return;
          const fromLayout = layoutFolder(file, coreRoot);
          const toLayout = layoutFolder(target, coreRoot);
          const toRegistry = target.replace(/\.ts$/, '') === `stores${sep}registry`;
          const generic = fromLayout === null && !isRoot(file) && file !== `stores${sep}registry.ts`;
          if (toRegistry && generic) {
            context.report({ node, messageId: 'registry', data: { from: file } });
          } else if (generic && toLayout !== null) {
            context.report({ node, messageId: 'generic', data: { from: file, to: target } });
          } else if (fromLayout && toLayout && fromLayout !== toLayout) {
            context.report({ node, messageId: 'crossLayout', data: { from: fromLayout, to: toLayout } });
          }
        };
        return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
      },
    },
  },
};
