/** Plain text tables for the terminal: columns padded to the widest cell, long cells cut with "…". */
export function renderTable(headers: string[], rows: Array<Array<string | number | null>>, maxWidths: number[] = []): string {
  const cells = rows.map((r) => r.map((c, i) => clip(c === null ? '-' : String(c), maxWidths[i])));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => width(r[i]))));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i] - width(c)))).join('  ');
  return [line(headers), ...cells.map(line)].join('\n');
}

export function clip(text: string, max: number | undefined): string {
  const oneLine = text.replace(/[\r\n\t]+/g, ' ');
  if (!max || oneLine.length <= max) return oneLine;
  return `${oneLine.slice(0, max - 1)}…`;
}

function width(s: string): number {
  return [...s].length;
}

export function shortTime(iso: string | null): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-';
}
