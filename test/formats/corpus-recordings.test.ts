import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formats } from '../../domain/formats/index.ts';
import { fixturesDir, readWritten, tempDir } from './session-files.ts';

// Recordings our corpus recorder made with Playwright 1.64 and rrweb 2.2.2 (fixtures/formats/corpus/).
const corpus = (scenario: string, file: string) => path.join(fixturesDir, 'corpus', scenario, file);

describe("importers on the corpus recorder's real recordings", () => {
  it('Playwright trace v10: keyboard calls go to the element the last call focused, not past a Tab', async () => {
    const out = tempDir();
    const [id] = await formats.playwright.convert(corpus('keyboard-login', 'trace.zip'), out, {});
    const keys = readWritten(out, id!).events.filter((e) => e.type === 'keydown');
    const typed = (e: (typeof keys)[number]) => [e.type === 'keydown' ? e.key : '', e.target?.id ?? null];
    // "ana" into #username (clicked), then Tab: "north-team" goes to an element the trace does not name.
    expect(keys.slice(0, 5).map(typed)).toEqual([
      ['a', 'username'],
      ['n', 'username'],
      ['a', 'username'],
      ['Tab', 'username'],
      ['n', null],
    ]);
  });

  it('Playwright trace v10: typed text is spread over the call, so repeated letters survive, and \\n is Enter', async () => {
    const out = tempDir();
    const [id] = await formats.playwright.convert(corpus('form-typing-corrections', 'trace.zip'), out, {});
    const downs = readWritten(out, id!).events.filter((e) => e.type === 'keydown' && e.target?.id === 'notes');
    expect(downs.map((e) => (e.type === 'keydown' ? e.key : '')).join('|')).toBe('R|i|n|g| |t|w|i|c|e|Enter|T|h|a|n|k|s');
    const ts = downs.map((e) => e.t);
    expect(new Set(ts).size).toBe(ts.length);
  });

  it("rrweb: the browser's implicit-submission click (Enter in a field) is a submit; a click names the link around it", async () => {
    const out = tempDir();
    const [search] = await formats.rrweb.convert(corpus('mail-search-typos', 'rrweb.json'), out, {});
    const submits = readWritten(out, search!).events.filter((e) => e.type === 'submit' || e.type === 'click');
    expect(submits.map((e) => [e.type, e.target?.id])).toEqual([
      ['click', 'search-input'],
      ['submit', 'search-button'],
    ]);

    const [label] = await formats.rrweb.convert(corpus('mail-label-and-star', 'rrweb.json'), out, {});
    const first = readWritten(out, label!).events.find((e) => e.type === 'click');
    // rrweb records hrefs made absolute.
    expect(first?.target).toMatchObject({ tag: 'a', selector: expect.stringMatching(/^a\[href="http:\/\/127\.0\.0\.1:\d+\/#\/message\/m-0002"\]$/) });
  });

  it('rrweb: Space on a focused checkbox leaves one event for the change, not the (0,0) activation click', async () => {
    const out = tempDir();
    const [id] = await formats.rrweb.convert(corpus('keyboard-login', 'rrweb.json'), out, {});
    const onBox = readWritten(out, id!).events.filter((e) => e.target?.id === 'remember');
    expect(onBox.map((e) => [e.type, 'x' in e ? e.x : undefined])).toEqual([['check', undefined]]);
  });

  it('rrweb: a press whose release lands on an overlay is a click on the pressed option, not on the body', async () => {
    const out = tempDir();
    const [id] = await formats.rrweb.convert(corpus('overlay-press-release', 'rrweb.json'), out, {});
    const clicks = readWritten(out, id!).events.filter((e) => e.type === 'click');
    expect(clicks.map((e) => [e.target?.id, e.target?.role])).toEqual([['fruit-pear', 'option']]);
  });
});
