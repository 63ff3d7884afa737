import { formatNumber } from '../format';
import type { Formatted } from './pipeline';
import { MARKDOWN_LIMITS } from '../../../../shared/markdown-scan';
import { FORMAT_BUDGET_MS } from './formatter';

type Limit = Extract<Formatted, { kind: 'plain' }>['limit'];

/** Why a message (or its rest) is shown as plain text, in words a reader can act on. */
export function describeLimit(limit: Limit, partial: boolean): string {
  const lead = partial ? 'The rest of this message is shown as plain text' : 'Shown as plain text';
  const n = formatNumber(limit.count);
  switch (limit.kind) {
    case 'length':
      return `${lead}: the message is ${n} characters long, more than the ${formatNumber(MARKDOWN_LIMITS.chars)} that are formatted.`;
    case 'depth':
      return `${lead}: its markdown is nested ${n} levels deep.`;
    case 'emphasis':
      return `${lead}: one paragraph holds ${n} emphasis marks (* _ ~).`;
    case 'brackets':
      return `${lead}: one paragraph holds ${n} brackets ([ ]).`;
    case 'backticks':
      return `${lead}: one paragraph holds ${n} runs of backticks.`;
    case 'html':
      return `${lead}: one paragraph opens ${n} HTML comments or declarations.`;
    case 'volume':
      return `${lead}: it is too long and intricate to format quickly.`;
    case 'elements':
      return `${lead}: formatted, it would need more than ${n} elements.`;
    case 'time':
      return `${lead}: formatting it took longer than ${formatNumber(FORMAT_BUDGET_MS / 1000)} seconds.`;
    case 'error':
      return `${lead}: its markdown could not be formatted.`;
  }
}
