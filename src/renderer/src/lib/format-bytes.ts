const units = ['B', 'KB', 'MB', 'GB', 'TB'];
const oneDecimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/** Sizes as people read them (1 KB = 1,024 B, like file managers show store files). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${bytes < 0 ? '−' : ''}${unit === 0 ? value : oneDecimal.format(value)} ${units[unit]}`;
}
