/** The HTML export's stylesheet: inline, so the file is one self-contained document; light and dark. */
export const HTML_STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #656d76; --bg: #ffffff; --panel: #f6f8fa; --line: #d0d7de;
  --user: #ddf4ff; --assistant: #f6f8fa; --system: #fff8c5; --tool: #fbefff; --error: #ffebe9; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #8d96a0; --bg: #0d1117; --panel: #161b22; --line: #30363d;
  --user: #0c2d48; --assistant: #161b22; --system: #3b2f00; --tool: #2b1b3d; --error: #4a1d1d; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 60rem; padding: 1.5rem; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header h1 { margin: 0 0 .25rem; font-size: 1.5rem; }
header p, .note, .meta, dt { color: var(--muted); }
.session { border-top: 2px solid var(--line); margin-top: 2rem; padding-top: 1rem; }
.session h2 { margin: 0 0 .5rem; font-size: 1.25rem; overflow-wrap: anywhere; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: 0 0 1rem; font-size: .85rem; }
.facts dd { margin: 0; overflow-wrap: anywhere; }
details.branch { margin: .75rem 0; border: 1px solid var(--line); border-radius: 6px; }
details.branch > summary { cursor: pointer; padding: .5rem .75rem; background: var(--panel); border-radius: 6px; font-weight: 600; }
ol.messages { list-style: none; margin: 0; padding: .5rem; }
li.message { margin: .5rem 0; padding: .5rem .75rem; border-radius: 6px; background: var(--assistant); border: 1px solid var(--line); }
li.role-user { background: var(--user); }
li.role-system { background: var(--system); }
li.role-tool { background: var(--tool); }
.meta { font-size: .8rem; margin-bottom: .25rem; }
.meta .n { font-weight: 700; }
.meta .role { font-weight: 600; color: var(--fg); }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
pre { margin: .5rem 0; padding: .5rem; overflow-x: auto; background: var(--panel); border: 1px solid var(--line); border-radius: 4px; font-size: .85rem; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.tool .label { font-size: .8rem; font-weight: 600; }
.tool.error pre { background: var(--error); }
details.thinking { margin: .25rem 0; color: var(--muted); }
.fork { margin: .5rem 0 0; font-size: .85rem; font-weight: 600; }
img.image { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 4px; }
.empty { color: var(--muted); font-style: italic; }
.markdown { overflow-wrap: anywhere; }
.markdown > :first-child { margin-top: 0; }
.markdown > :last-child { margin-bottom: 0; }
.markdown p, .markdown ul, .markdown ol, .markdown blockquote, .markdown table { margin: .5rem 0; }
.markdown blockquote { padding: 0 .75rem; border-left: 3px solid var(--line); color: var(--muted); }
.markdown table { border-collapse: collapse; display: block; overflow-x: auto; }
.markdown th, .markdown td { padding: .25rem .5rem; border: 1px solid var(--line); }
.markdown th { background: var(--panel); }
.markdown :not(pre) > code { padding: .1rem .25rem; background: var(--panel); border-radius: 3px; font-size: .9em; }
.markdown .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
.markdown .footnotes { font-size: .85rem; border-top: 1px solid var(--line); margin-top: .5rem; }
a { color: #0969da; }
@media (prefers-color-scheme: dark) { a { color: #4493f8; } }
`;
