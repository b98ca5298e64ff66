import { esc } from '../report/html.ts';

/** The pages of the app, by the script that renders each (assets/<script>.js). */
export const PAGES = {
  runs: { path: '/', title: 'Runs' },
  run: { path: '/runs/:id', title: 'Run' },
  review: { path: '/review', title: 'Review' },
  example: { path: '/examples/:id', title: 'Example' },
  compare: { path: '/compare', title: 'Compare' },
} as const;
export type PageName = keyof typeof PAGES;

const NAV: { page: PageName; href: string; label: string }[] = [
  { page: 'runs', href: '/', label: 'Runs' },
  { page: 'review', href: '/review', label: 'Review' },
  { page: 'compare', href: '/compare', label: 'Compare' },
];

/**
 * The HTML every page starts from: no data in it (the page's script fetches it from
 * the API), so nothing a trace contains can reach this markup.
 */
export function pageShell(page: PageName, assetVersion: string): string {
  const v = encodeURIComponent(assetVersion);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(PAGES[page].title)} · tracepipe</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/style.css?v=${v}">
<script type="module" src="/assets/${page}.js?v=${v}"></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<a class="brand" href="/">tracepipe</a>
<nav aria-label="Main">${NAV.map((n) => `<a href="${n.href}"${n.page === page || (page === 'run' && n.page === 'runs') ? ' aria-current="page"' : ''}>${n.label}</a>`).join('')}</nav>
</header>
<main id="main" aria-busy="true"><p class="muted">Loading…</p></main>
</body>
</html>
`;
}
