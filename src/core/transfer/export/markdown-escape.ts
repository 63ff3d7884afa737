/**
 * Message text into a Markdown document so that any CommonMark/GFM renderer, even one that passes raw
 * HTML and any link scheme through, shows it as text: no tag, no autolink, no live `javascript:` link.
 * The text's own Markdown (emphasis, lists, code) still renders; what cannot be made safe without
 * guessing is escaped, which at worst shows a backslash.
 *
 * The rules, and why they agree with the renderer:
 * - A fence counts only when it starts at column 0 (no container can then hold it open or close it
 *   early); its lines are kept verbatim, and a fence left open is closed at the end of the message.
 * - Outside fences, every `<` is backslash-escaped: no raw HTML, no HTML block, no autolink.
 * - A code span is kept verbatim only when it opens and closes on one line (the first closing run
 *   of the same length, as CommonMark pairs them); a backtick run without a partner on its line is
 *   escaped, so no span can ever reach across lines where block structure would split it differently.
 * - A link or reference destination keeps its form only when it is http(s), mailto or scheme-less,
 *   written plainly; anything else (another scheme, entities, escapes, a line break) loses the link
 *   syntax and shows as text.
 */

/** The characters that start inline Markdown or HTML in the middle of a line (line-start rules do not apply there). */
const INLINE_SPECIAL = /[\\`*_[\]<>!&~|#]/g;

/** One line of text, placed mid-line after Arbor's own prefix, where Markdown must do nothing: headings, list items. */
export function escapeInline(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').replace(INLINE_SPECIAL, (c) => `\\${c}`);
}

/** Text inside a code span, on one line: the delimiter is longer than any backtick run inside. */
export function codeSpan(text: string): string {
  const oneLine = text.replace(/[\r\n]+/g, ' ');
  const ticks = '`'.repeat(longestRun(oneLine, '`') + 1);
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') || oneLine === '' ? ' ' : '';
  return `${ticks}${pad}${oneLine}${pad}${ticks}`;
}

/** A fenced code block holding `text` verbatim, its fence longer than any backtick run in it. */
export function fencedBlock(text: string, info = ''): string {
  const fence = '`'.repeat(Math.max(3, longestRun(text, '`') + 1));
  return `${fence}${info}\n${text}${text.endsWith('\n') || text === '' ? '' : '\n'}${fence}`;
}

function longestRun(text: string, char: string): number {
  let best = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}

const FENCE_OPEN = /^(`{3,}|~{3,})(.*)$/;

/** A message's Markdown text, made inert (see the rules above). */
export function escapeMarkdownBody(text: string): string {
  const lines = text.split(/\r\n|\n|\r/);
  const out: string[] = [];
  let fence: { char: string; length: number } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (fence) {
      out.push(line);
      const close = new RegExp(`^ {0,3}${fence.char === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`);
      if (close.test(line)) fence = null;
      continue;
    }
    const open = FENCE_OPEN.exec(line);
    // A backtick fence's info string may not hold a backtick (then it is no fence at all).
    if (open && !(open[1][0] === '`' && open[2].includes('`'))) {
      fence = { char: open[1][0], length: open[1].length };
      out.push(line);
      continue;
    }
    out.push(escapeLine(line, lines[i + 1] ?? ''));
  }
  if (fence) out.push(fence.char.repeat(fence.length));
  return out.join('\n');
}

/** One line outside fences: code spans kept, everything else made inert. */
function escapeLine(line: string, nextLine: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length && /[!-/:-@[-`{-~]/.test(line[i + 1])) {
      out += line.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c === '`') {
      let n = 1;
      while (line[i + n] === '`') n++;
      const close = findRun(line, i + n, n);
      if (close >= 0) {
        out += line.slice(i, close + n);
        i = close + n;
      } else {
        out += '\\`'.repeat(n);
        i += n;
      }
      continue;
    }
    if (c === '<') {
      out += '\\<';
      i++;
      continue;
    }
    if (c === '(' && line[i - 1] === ']' && unsafeDestination(line.slice(i + 1), nextLine)) {
      out += '\\(';
      i++;
      continue;
    }
    if (c === '[' && i === leadingSpaces(line) && isUnsafeDefinition(line.slice(i), nextLine)) {
      out += '\\[';
      i++;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** Start of the first run of exactly `n` backticks at or after `from`, or -1. */
function findRun(line: string, from: number, n: number): number {
  for (let i = from; i < line.length; i++) {
    if (line[i] !== '`') continue;
    let m = 1;
    while (line[i + m] === '`') m++;
    if (m === n) return i;
    i += m - 1;
  }
  return -1;
}

function leadingSpaces(line: string): number {
  const m = /^ {0,3}/.exec(line);
  return m ? m[0].length : 0;
}

const SAFE_SCHEMES = new Set(['http', 'https', 'mailto']);

/**
 * True unless the destination after `](` is plainly a web or mail link or has no scheme. Entities
 * (`&#58;`), backslash escapes and percent signs could spell a scheme the renderer decodes, and a
 * destination on the next line is legal Markdown but never written by people: all count as unsafe.
 */
function unsafeDestination(rest: string, nextLine: string): boolean {
  let dest = rest.replace(/^[ \t]*/, '');
  if (dest === '') dest = nextLine.trim();
  if (dest.startsWith('<')) dest = dest.slice(1);
  const raw = /^[^\s)>]*/.exec(dest)![0];
  if (/[&\\%]/.test(raw)) return true;
  // Browsers drop control characters and whitespace inside a scheme: judge it without them.
  const plain = [...raw].filter((ch) => ch.charCodeAt(0) > 0x20 && ch.charCodeAt(0) !== 0x7f).join('').toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(plain);
  return scheme !== null && !SAFE_SCHEMES.has(scheme[1]);
}

const DEFINITION = /^\[(?:[^\]\\]|\\.)*\]:(.*)$/;

function isUnsafeDefinition(fromBracket: string, nextLine: string): boolean {
  const m = DEFINITION.exec(fromBracket);
  return m !== null && (m[1].trim() === '' || unsafeDestination(m[1], nextLine));
}
