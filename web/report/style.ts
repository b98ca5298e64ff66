/** The report's stylesheet, inlined into the file. */
export const REPORT_CSS = `
:root { color-scheme: light; --fg:#1d2430; --muted:#5b6473; --line:#dde2ea; --bg:#f6f7f9; --card:#fff;
  --ok:#1c7c3a; --ok-bg:#e3f4e8; --warn:#8a5a00; --warn-bg:#fff1d1; --bad:#b42318; --bad-bg:#fde7e5; --info:#1f5fbf; --info-bg:#e5eefc; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--fg); background:var(--bg); }
header.top { background:#1d2430; color:#fff; padding:16px 24px; }
header.top h1 { margin:0 0 4px; font-size:20px; }
header.top p { margin:0; color:#c9d1dd; }
nav.toc { padding:8px 24px; background:var(--card); border-bottom:1px solid var(--line); position:sticky; top:0; z-index:2; }
nav.toc a { margin-right:16px; color:var(--info); text-decoration:none; }
main { padding:16px 24px 48px; max-width:1280px; }
h2 { font-size:17px; margin:28px 0 10px; }
section, article.example { scroll-margin-top:48px; }
h3 { font-size:15px; margin:0; }
.cards { display:flex; flex-wrap:wrap; gap:10px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:10px 14px; min-width:130px; }
.card .n { font-size:20px; font-weight:600; display:block; }
.card .l { color:var(--muted); font-size:12px; }
table { border-collapse:collapse; background:var(--card); border:1px solid var(--line); }
th, td { text-align:left; padding:5px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
th { background:#eef1f5; font-weight:600; font-size:12px; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
.badge { display:inline-block; padding:1px 7px; border-radius:10px; font-size:11px; font-weight:600; letter-spacing:.02em; vertical-align:middle; }
.s-COMPLETED, .s-ok, .s-accepted, .s-fixed { background:var(--ok-bg); color:var(--ok); }
.s-NEEDS_REVIEW, .s-flagged { background:var(--warn-bg); color:var(--warn); }
.s-FAILED, .s-rejected, .s-below_drop { background:var(--bad-bg); color:var(--bad); }
.s-PENDING, .s-PROCESSING { background:var(--info-bg); color:var(--info); }
.failure { background:var(--card); border:1px solid var(--line); border-left:4px solid var(--bad); border-radius:6px; padding:8px 12px; margin:8px 0; }
.failure .code { font-family:ui-monospace, monospace; color:var(--bad); font-weight:600; }
.failure .hint { color:var(--ok); }
.failure pre { margin:6px 0 0; }
article.example { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:12px 16px; margin:14px 0; }
article.example header { display:flex; gap:10px; align-items:center; flex-wrap:wrap; }
.muted { color:var(--muted); }
.tool { white-space:nowrap; }
.task { margin:6px 0 10px; }
.keyframes { display:flex; gap:8px; overflow-x:auto; padding-bottom:6px; }
.keyframes figure { margin:0; flex:0 0 auto; }
.keyframes img { display:block; width:240px; height:auto; border:1px solid var(--line); border-radius:4px; cursor:zoom-in; background:#eee; }
.keyframes figcaption { font-size:11px; color:var(--muted); }
pre, code { font-family:ui-monospace, SFMono-Regular, Menlo, monospace; font-size:12px; }
pre { white-space:pre-wrap; word-break:break-word; margin:0; }
table.calls { width:100%; margin-top:8px; }
.conf { display:inline-block; width:60px; height:6px; background:#e6e9ee; border-radius:3px; margin-left:6px; vertical-align:middle; overflow:hidden; }
.conf > i { display:block; height:100%; background:var(--info); }
details { margin-top:8px; }
summary { cursor:pointer; color:var(--info); }
.msg { border-left:3px solid var(--line); padding:4px 10px; margin:6px 0; }
.msg .role { font-size:11px; font-weight:600; text-transform:uppercase; color:var(--muted); }
.filters button { font:inherit; margin-right:6px; padding:3px 10px; border:1px solid var(--line); border-radius:14px; background:var(--card); cursor:pointer; }
.filters button[aria-pressed="true"] { background:#1d2430; color:#fff; border-color:#1d2430; }
dialog { border:none; padding:0; max-width:95vw; max-height:95vh; background:transparent; }
dialog img { max-width:95vw; max-height:90vh; display:block; }
dialog::backdrop { background:rgba(0,0,0,.7); }
`;
