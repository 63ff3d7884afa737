/**
 * Text shown verbatim inside a message's markdown (code, a tool's output, a file's extracted text):
 * a fenced block whose fence is longer than any run of backticks in the text, so nothing inside can
 * close it early and turn the rest into markdown.
 */
export function fenced(text: string, language = ''): string {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const info = /^[\w+#.-]{1,40}$/.test(language) ? language : '';
  return `${fence}${info}\n${text}\n${fence}`;
}
