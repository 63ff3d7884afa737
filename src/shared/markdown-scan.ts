/**
 * A linear pre-scan of untrusted markdown, before any parser sees it. The markdown parser is
 * super-linear in a few shapes (container nesting, delimiter and bracket storms in one paragraph)
 * and linear but heavy in others (tens of thousands of blocks, cells, footnotes): measured in
 * Node and Chromium, `"- "` × 29,000 followed by a word takes minutes, 20,000 `*a` seconds. The
 * scan bounds each of those before the library runs: the text up to the block where a bound is
 * crossed is formatted, the rest is shown as plain text with a note saying why.
 *
 * Blocks are separated by blank lines outside fenced code; the cut always falls on such a
 * boundary, so the formatted part is valid markdown on its own.
 */

export type MarkdownLimitKind = 'length' | 'depth' | 'emphasis' | 'brackets' | 'backticks' | 'html' | 'volume';

export interface MarkdownLimit {
  kind: MarkdownLimitKind;
  /** What was counted where the limit was crossed: characters, levels, marks in the paragraph. */
  count: number;
}

export interface MarkdownPlan {
  /** `text.slice(0, formatEnd)` is formatted; the rest is shown as plain text. */
  formatEnd: number;
  /** Why the rest is plain; null when the whole text is formatted. */
  limit: MarkdownLimit | null;
  /** Estimated parse time of the formatted part, in microseconds (an estimate, on the safe side). */
  cost: number;
}

export const MARKDOWN_LIMITS = {
  /** The formatted part never exceeds this many characters (longer texts are logs and dumps). */
  chars: 60_000,
  /** Container levels (block quotes, list items) on one line. */
  depth: 32,
  /** Emphasis and strikethrough delimiter runs (`*`, `_`, `~`) in one paragraph: resolving them is quadratic. */
  emphasisRuns: 1_000,
  /** `[` and `]` in one paragraph: link and image labels are matched pairwise. */
  brackets: 1_000,
  /** Runs of backticks in one paragraph: each opening run looks ahead for its closing one. */
  backtickRuns: 400,
  /** `<!` and `<?` in one paragraph: each unclosed comment, declaration or instruction scans to the paragraph's end. */
  htmlOpeners: 200,
  /** Estimated parse time of the formatted part, in microseconds. */
  cost: 400_000,
};

/**
 * What each construct costs the parser, in microseconds, measured with the app's own pipeline
 * (remark-parse, remark-gfm, remark-rehype, rehype-sanitize, rehype-highlight) on a 2-core machine
 * and rounded up: 8,000 paragraphs ≈ 0.45 s, 8,000 list items ≈ 0.85 s, 4,000 links ≈ 0.4 s,
 * a 1,000 × 50 table ≈ 2.1 s, 4,000 footnotes ≈ 1.1 s, a 1 MB highlighted code block ≈ 1.3 s,
 * 40,000 `<` ≈ 0.8 s, a 58,000-character thematic break ≈ 0.6 s; URLs, emails and character
 * references cost about as much as a bracket.
 */
const COST = { char: 3, line: 60, blank: 15, container: 40, emphasisRun: 20, bracket: 30, backtickRun: 60, pipe: 25, footnote: 150, angle: 25, literal: 30, thematicChar: 12, codeChar: 1.5 };

const SPACE = 32;
const TAB = 9;
const CR = 13;

const isSpace = (c: number) => c === SPACE || c === TAB;
const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * Where the rest of the line, from some point on, is a thematic break (`- - -`, `***`): those
 * characters are not list markers. Computed once per line, from its end, so the scan stays linear.
 */
function thematicBreakStart(text: string, start: number, end: number): number {
  let char = -1;
  let count = 0;
  let from = end;
  for (let i = end - 1; i >= start; i--) {
    const c = text.charCodeAt(i);
    if (isSpace(c) || c === CR) continue;
    if (c !== 45 && c !== 42 && c !== 95) break; // - * _
    if (char === -1) char = c;
    else if (c !== char) break;
    count++;
    from = i;
  }
  return count >= 3 ? from : end;
}

/** What containerDepth found besides the depth (module state: the scan allocates nothing per line). */
let contentStart = 0;
let listItem = false;
let thematicChars = 0;

const endsMarker = (text: string, j: number, end: number) => {
  if (j >= end) return true;
  const c = text.charCodeAt(j);
  return isSpace(c) || c === CR;
};

/**
 * Container levels at the start of a line: `>` and list markers, with the indentation of a list
 * item counted too (2 spaces ≈ one level). Sets contentStart, listItem and thematicChars.
 */
function containerDepth(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && isSpace(text.charCodeAt(i))) i++;
  const indent = i - start;
  const hr = thematicBreakStart(text, start, end);
  thematicChars = end - hr;
  let depth = 0;
  listItem = false;
  for (;;) {
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    if (i >= end || i >= hr) break;
    const c = text.charCodeAt(i);
    if (c === 62) {
      // >
      depth++;
      i++;
    } else if ((c === 45 || c === 42 || c === 43) && endsMarker(text, i + 1, end)) {
      // - * +
      depth++;
      listItem = true;
      i++;
    } else if (isDigit(c)) {
      let j = i;
      while (j < end && j - i < 10 && isDigit(text.charCodeAt(j))) j++;
      const d = text.charCodeAt(j);
      if ((d !== 46 && d !== 41) || !endsMarker(text, j + 1, end)) break; // . )
      depth++;
      listItem = true;
      i = j + 1;
    } else break;
  }
  contentStart = i;
  return listItem ? depth + Math.floor(indent / 2) : depth;
}

/** Whether the line opens or closes a fenced code block; returns the fence's character and length. */
function fenceAt(text: string, from: number, end: number): { char: number; length: number; info: boolean } | null {
  const first = text.charCodeAt(from);
  if (first !== 96 && first !== 126 && first !== SPACE) return null;
  let i = from;
  let spaces = 0;
  while (i < end && text.charCodeAt(i) === SPACE && spaces < 4) {
    i++;
    spaces++;
  }
  if (spaces > 3) return null;
  const c = text.charCodeAt(i);
  if (c !== 96 && c !== 126) return null; // ` ~
  let j = i;
  while (j < end && text.charCodeAt(j) === c) j++;
  if (j - i < 3) return null;
  let info = false;
  for (let k = j; k < end; k++) {
    const x = text.charCodeAt(k);
    if (!isSpace(x) && x !== CR) {
      info = true;
      break;
    }
  }
  return { char: c, length: j - i, info };
}

/** Inline marks of one paragraph (a list item, a table row and a heading are paragraphs of their own). */
interface BlockCounts {
  emphasisRuns: number;
  brackets: number;
  backtickRuns: number;
  htmlOpeners: number;
}

function resetCounts(block: BlockCounts): void {
  block.emphasisRuns = 0;
  block.brackets = 0;
  block.backtickRuns = 0;
  block.htmlOpeners = 0;
}

/** Plans how much of `text` may be formatted; linear in its length. */
export function planMarkdown(text: string): MarkdownPlan {
  const n = text.length;
  let cost = 0;
  let blockStart = 0;
  let blockCost = 0;
  let inlineStart = 0;
  const block: BlockCounts = { emphasisRuns: 0, brackets: 0, backtickRuns: 0, htmlOpeners: 0 };
  let fence: { char: number; length: number; highlighted: boolean } | null = null;
  const cut = (kind: MarkdownLimitKind, count: number): MarkdownPlan => ({ formatEnd: blockStart, limit: { kind, count }, cost: cost - blockCost });

  let start = 0;
  while (start < n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    if (end > MARKDOWN_LIMITS.chars) return cut('length', n);

    const depth = containerDepth(text, start, end);
    let lineCost = 0;
    let blank = true;
    for (let i = contentStart; i < end; i++) {
      const c = text.charCodeAt(i);
      if (!isSpace(c) && c !== CR) {
        blank = false;
        break;
      }
    }
    if (fence) {
      const close = fenceAt(text, contentStart, end);
      lineCost = (end - start) * (fence.highlighted ? COST.codeChar * 2 : COST.codeChar);
      if (close && close.char === fence.char && close.length >= fence.length && !close.info) fence = null;
    } else if (blank && depth === 0) {
      // A block boundary: the formatted part may end here.
      lineCost = COST.blank + (end - start) * COST.char;
      blockStart = start;
      blockCost = 0;
      resetCounts(block);
      inlineStart = start;
    } else {
      if (depth > MARKDOWN_LIMITS.depth) return cut('depth', depth);
      const first = text.charCodeAt(contentStart);
      // A list item, a table row and a heading hold their own inline content: count afresh.
      if (listItem || first === 124 || first === 35) {
        resetCounts(block);
        inlineStart = start;
      }
      const open = fenceAt(text, contentStart, end);
      if (open) fence = { char: open.char, length: open.length, highlighted: open.info };
      lineCost = COST.line + depth * COST.container + (end - start) * COST.char + thematicChars * COST.thematicChar;
      if (!open) lineCost += scanInline(text, contentStart, end, block);
      if (block.emphasisRuns > MARKDOWN_LIMITS.emphasisRuns) return cut('emphasis', countToEnd(text, inlineStart, 'emphasis'));
      if (block.brackets > MARKDOWN_LIMITS.brackets) return cut('brackets', countToEnd(text, inlineStart, 'brackets'));
      if (block.backtickRuns > MARKDOWN_LIMITS.backtickRuns) return cut('backticks', countToEnd(text, inlineStart, 'backticks'));
      if (block.htmlOpeners > MARKDOWN_LIMITS.htmlOpeners) return cut('html', countToEnd(text, inlineStart, 'html'));
    }
    cost += lineCost;
    blockCost += lineCost;
    if (cost > MARKDOWN_LIMITS.cost) return cut('volume', n);
    start = end + 1;
  }
  return { formatEnd: n, limit: null, cost };
}

/** Counts the paragraph's inline marks into `block` and returns their cost. */
function scanInline(text: string, from: number, end: number, block: BlockCounts): number {
  let cost = 0;
  let previous = -1;
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 42 || c === 95 || c === 126) {
      // * _ ~ : one run per change of character
      if (c !== previous) {
        block.emphasisRuns++;
        cost += COST.emphasisRun;
      }
    } else if (c === 96) {
      if (c !== previous) {
        block.backtickRuns++;
        cost += COST.backtickRun;
      }
    } else if (c === 91 || c === 93) {
      // [ ]
      block.brackets++;
      cost += COST.bracket;
      if (c === 91 && text.charCodeAt(i + 1) === 94) cost += COST.footnote; // [^
    } else if (c === 124) {
      cost += COST.pipe;
    } else if (c === 60) {
      // < : an HTML tag or an autolink is tried at each
      cost += COST.angle;
      const next = text.charCodeAt(i + 1);
      if (next === 33 || next === 63) block.htmlOpeners++; // <! <?
    } else if (c === 58 || c === 64 || c === 38 || c === 92) {
      // : @ & \ : a URL, an email address, a character reference or an escape is tried at each
      cost += COST.literal;
    }
    previous = c;
  }
  return cost;
}

/** The number the note names: how many marks of that kind the offending paragraph holds, to its end. */
function countToEnd(text: string, from: number, kind: 'emphasis' | 'brackets' | 'backticks' | 'html'): number {
  const block: BlockCounts = { emphasisRuns: 0, brackets: 0, backtickRuns: 0, htmlOpeners: 0 };
  let end = text.indexOf('\n\n', from);
  if (end < 0) end = text.length;
  scanInline(text, from, end, block);
  return { emphasis: block.emphasisRuns, brackets: block.brackets, backticks: block.backtickRuns, html: block.htmlOpeners }[kind];
}
