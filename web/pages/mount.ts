import type { Context, Hono } from 'hono';
import { loadAssets } from './assets.ts';
import { PAGES, pageShell, type PageName } from './shell.ts';

/**
 * The pages and what they may load: only this origin's scripts, styles, images and
 * API; inline script and style are refused, so injected markup could not run.
 */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/** Mounts the HTML pages (/, /runs/:id, /review, /examples/:id, /compare) and their /assets/* on an app that serves the JSON API. */
export function mountPages(app: Hono): void {
  const { files, version } = loadAssets();
  const shells = new Map((Object.keys(PAGES) as PageName[]).map((p) => [p, pageShell(p, version)]));
  const html = (page: PageName) => (c: Context) => {
    c.header('Content-Security-Policy', CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cache-Control', 'no-cache');
    return c.html(shells.get(page)!);
  };
  for (const page of Object.keys(PAGES) as PageName[]) app.get(PAGES[page].path, html(page));
  app.get('/assets/:name', (c) => {
    const asset = files.get(c.req.param('name'));
    if (asset === undefined) return c.text('not found', 404);
    c.header('Content-Type', asset.type);
    c.header('X-Content-Type-Options', 'nosniff');
    // Page shells link assets with ?v=<content hash>, so a cached copy is never stale.
    c.header('Cache-Control', c.req.query('v') === version ? 'public, max-age=31536000, immutable' : 'no-cache');
    return c.body(asset.body);
  });
}
