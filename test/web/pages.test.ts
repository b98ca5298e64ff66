import { builtinStages } from '../../stages/index.ts';
import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { MemoryStore } from '../../engine/cache/memory.ts';
import { createApp } from '../../web/api/app.ts';
import { mountPages, PAGES } from '../../web/pages/index.ts';
import { loadAssets } from '../../web/pages/assets.ts';

function pagesApp(): Hono {
  const app = new Hono();
  mountPages(app);
  return app;
}

const PATHS: Record<keyof typeof PAGES, string> = {
  runs: '/',
  run: '/runs/20261122-031500-ab12cd',
  review: '/review?run=20261122-031500-ab12cd',
  example: '/examples/send-lunch-thursday?run=20261122-031500-ab12cd',
  compare: '/compare?a=x&b=y',
};

describe('web pages', () => {
  it('serves each page as a data-free shell that loads its own script, under a CSP without inline code', async () => {
    const app = pagesApp();
    const { version } = loadAssets();
    for (const [page, path] of Object.entries(PATHS)) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      const html = await res.text();
      expect(html).toContain(`<script type="module" src="/assets/${page}.js?v=${version}"></script>`);
      expect(html).toContain(`<link rel="stylesheet" href="/assets/style.css?v=${version}">`);
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
      expect(html).not.toMatch(/\sstyle=|<style/); // no inline style
      expect(html).not.toContain('20261122-031500-ab12cd'); // nothing from the URL is echoed
    }
  });

  it('serves the assets with their types; versioned links are cached for good, unknown names are 404', async () => {
    const app = pagesApp();
    const { files, version } = loadAssets();
    const js = await app.request(`/assets/review.js?v=${version}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect(await js.text()).toBe(files.get('review.js')!.body);
    expect((await app.request('/assets/review.js')).headers.get('cache-control')).toBe('no-cache');
    expect((await app.request('/assets/style.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await app.request('/assets/nope.js')).status).toBe(404);
    expect((await app.request('/assets/..%2Fmount.ts')).status).toBe(404);
    expect((await app.request('/assets/mount.ts')).status).toBe(404);
  });

  it('has a script for every page, and every module import resolves to a served asset', () => {
    const { files } = loadAssets();
    for (const page of Object.keys(PAGES)) expect(files.has(`${page}.js`), page).toBe(true);
    for (const [name, asset] of files) {
      for (const m of asset.body.matchAll(/\bfrom\s+'\.\/([^']+)'/g)) expect(files.has(m[1]!), `${name} imports ${m[1]}`).toBe(true);
    }
  });

  it('never turns data into markup: no innerHTML, outerHTML, insertAdjacentHTML, document.write or eval in the scripts', () => {
    for (const [name, asset] of loadAssets().files) {
      if (!name.endsWith('.js')) continue;
      expect(asset.body, name).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
    }
  });

  it('mounts beside the JSON API through createApp({pages})', async () => {
    const app = createApp({ store: new MemoryStore(), requireToken: false, pages: mountPages, registry: builtinStages });
    const page = await app.request('http://127.0.0.1/review');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/assets/review.js');
    const api = await app.request('http://127.0.0.1/api/runs');
    expect(api.status).toBe(200);
    expect(await api.json()).toEqual({ runs: [] });
  });
});
