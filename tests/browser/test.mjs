// Browser tests for the Jobbvinner site. Started by tests/browser/run.sh, which builds the
// site, serves it with NGINX and sets:
//   BASE_URL       http://127.0.0.1:PORT (the site's base URL)
//   ARTIFACTS_DIR  where screenshots and axe results are written
//   AXE_PATH       node_modules/axe-core/axe.min.js
//   CHROMIUM       /usr/bin/chromium (Debian's; no browser is ever downloaded)
//   BROWSER_TEST_ONLY  optional regular expression: run only the checks whose name matches
//
// Every check prints one PASS or FAIL line (with details under a FAIL), then a summary and
// `browser: N passed, N failed`; the exit code is 1 when anything failed.
//
// Checks, for every page type (home, focus-area listing + page, story + listing, testimonial + listing,
// tip + archive, a tips filter page, taxonomy list + term page, learning network, about,
// accessibility statement, 404):
//   - loads with 200 (404 for the missing page, which must be the theme's 404.html), no console
//     errors or uncaught exceptions, no failed requests or responses >= 400, no request to any
//     host but the site's own (such requests are also blocked);
//   - axe-core, tags wcag2a/wcag2aa/wcag21a/wcag21aa, no violations at 1280 px and at 320 px
//     (400 % zoom), no horizontal scrolling at 320 px;
//   - structure: html[lang="nb"], one h1, one main, a skip link as the first Tab stop whose
//     target exists, heading levels that never skip.
// Then the tips filter without JavaScript (facet links to static filter pages, checked against
// /tips/search.json across their pagination) and with JavaScript (the form filters the list in
// place; search with Norwegian inflections and æøå; clearing restores the list), keyboard
// navigation with visible focus, and full-page screenshots.
import { chromium } from 'playwright-core';
import fs from 'node:fs/promises';
import path from 'node:path';

const started = Date.now();
const BASE = (process.env.BASE_URL || 'http://127.0.0.1:8090').replace(/\/+$/, '');
const ORIGIN = new URL(BASE).origin;
const ART = process.env.ARTIFACTS_DIR || path.resolve('target/browser-artifacts');
const AXE_PATH = process.env.AXE_PATH || new URL('./node_modules/axe-core/axe.min.js', import.meta.url).pathname;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ONLY = process.env.BROWSER_TEST_ONLY ? new RegExp(process.env.BROWSER_TEST_ONLY) : null;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const TAXONOMIES = ['fokusomrade', 'malgruppe', 'fylke', 'kommune'];
const FILTER_SELECTS = TAXONOMIES.map((t) => `#tips-${t}`);
const WAIT_MS = 5000; // how long the in-page filter may take to update the list
const FOCUS_STOPS_CHECKED = 20;

await fs.mkdir(ART, { recursive: true });

// A hung browser must not hang CI: after this long, report what ran and fail.
const DEADLINE_S = Number(process.env.BROWSER_TEST_DEADLINE_S || 420);
setTimeout(() => {
  record(`whole run finished within ${DEADLINE_S} s`, false, 'timed out: the checks after the last line above did not run');
  const failed = results.filter((r) => !r.ok).length;
  console.log(`browser: ${results.length - failed} passed, ${failed} failed`);
  process.exit(1);
}, DEADLINE_S * 1000).unref();

// ---------------------------------------------------------------------------------------------
// Reporting

const results = [];
class CheckFailure extends Error {}
function assert(cond, message) {
  if (!cond) throw new CheckFailure(typeof message === 'function' ? message() : message);
}
function indent(text, by = '      ') {
  return String(text).split('\n').map((l) => by + l).join('\n');
}
function record(name, ok, detail) {
  results.push({ name, ok, detail });
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${ok && detail ? ` (${detail})` : ''}`);
  if (!ok && detail) console.log(indent(detail));
}
function skipped(name) {
  return ONLY && !ONLY.test(name);
}
/** Runs one check: PASS when fn returns (a string return value is shown as a note), FAIL when it throws. */
async function check(name, fn, { always = false } = {}) {
  if (!always && skipped(name)) return undefined;
  try {
    const note = await fn();
    record(name, true, typeof note === 'string' ? note : '');
    return true;
  } catch (e) {
    record(name, false, e instanceof CheckFailure ? e.message : (e && e.stack) || String(e));
    return false;
  }
}
function info(text) {
  console.log(indent(text, '  .. '));
}

// ---------------------------------------------------------------------------------------------
// Helpers

const url = (p) => (/^https?:/.test(p) ? p : BASE + p);
const pathOf = (u) => {
  try {
    return new URL(u, BASE + '/').pathname;
  } catch {
    return String(u);
  }
};
function slugify(text) {
  return String(text)
    .toLowerCase()
    .replace(/[æä]/g, 'ae')
    .replace(/[øöœ]/g, 'o')
    .replace(/å/g, 'a')
    .replace(/ß/g, 'ss')
    .replace(/ð/g, 'd')
    .replace(/þ/g, 'th')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
/** Folds æ=ae, ø=o, å=a and accents, as the site's addresses (and search) do. */
const fold = (w) => slugify(w).replace(/-/g, '');
const words = (s) => String(s || '').toLowerCase().normalize('NFC').split(/[^\p{L}\p{N}]+/u).filter(Boolean);
const sorted = (set) => [...set].sort();
function setDiff(actual, expected) {
  const missing = sorted(expected).filter((x) => !actual.has(x));
  const extra = sorted(actual).filter((x) => !expected.has(x));
  const lines = [];
  if (missing.length) lines.push(`missing (expected, not listed): ${missing.join(', ')}`);
  if (extra.length) lines.push(`extra (listed, not expected): ${extra.join(', ')}`);
  return lines.join('\n');
}
const sameSet = (a, b) => a.size === b.size && [...a].every((x) => b.has(x));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let searchIndexPromise;
/** /tips/search.json, fetched once; throws a CheckFailure saying what is wrong with it. */
function searchIndex() {
  searchIndexPromise ??= (async () => {
    const res = await fetch(url('/tips/search.json'));
    assert(res.ok, `GET /tips/search.json answered ${res.status}`);
    let data;
    try {
      data = await res.json();
    } catch (e) {
      assert(false, `/tips/search.json is not JSON: ${e.message}`);
    }
    assert(data && Array.isArray(data.pages), '/tips/search.json has no "pages" array');
    const pages = data.pages
      .map((p) => ({ ...p, path: pathOf(p.permalink), taxonomies: p.taxonomies || {} }))
      .filter((p) => p.path.startsWith('/tips/'));
    assert(pages.length > 0, '/tips/search.json lists no pages under /tips/');
    return pages;
  })();
  return searchIndexPromise;
}
function haystack(p, { description = true, terms = true } = {}) {
  const parts = [p.title, p.text];
  if (description) parts.push(p.description);
  if (terms) for (const list of Object.values(p.taxonomies || {})) parts.push(...(list || []));
  return words(parts.join(' '));
}

/** Attaches listeners that collect everything that goes wrong while a page is open. */
function watch(page, { expectStatus = 200 } = {}) {
  const w = {
    console: [],
    pageErrors: [],
    failed: [],
    bad: [],
    foreign: [],
    documents: 0,
    bytes: { document: 0, stylesheet: 0, script: 0, other: 0 },
    pending: [],
  };
  const isLocal = (u) => {
    try {
      const x = new URL(u);
      if (x.protocol === 'data:' || x.protocol === 'blob:' || x.protocol === 'about:') return true;
      return x.origin === ORIGIN;
    } catch {
      return false;
    }
  };
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const loc = m.location();
    // The browser logs the intended 404 of the missing page; that one is expected.
    if (expectStatus === 404 && /status of 404/.test(m.text()) && loc && pathOf(loc.url) === w.mainPath) return;
    w.console.push(`${m.text()}${loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
  });
  page.on('pageerror', (e) => w.pageErrors.push(String((e && e.stack) || e)));
  page.on('request', (r) => {
    if (!isLocal(r.url())) w.foreign.push(`${r.method()} ${r.url()} (${r.resourceType()})`);
    if (r.resourceType() === 'document' && r.frame() === page.mainFrame()) w.documents++;
  });
  page.on('requestfailed', (r) => {
    if (!isLocal(r.url())) return; // reported as foreign
    w.failed.push(`${r.method()} ${r.url()}: ${r.failure() && r.failure().errorText}`);
  });
  page.on('response', (r) => {
    const isMain = r.request().resourceType() === 'document' && r.frame() === page.mainFrame() && pathOf(r.url()) === w.mainPath;
    if (isMain && r.status() === expectStatus) return;
    if (r.status() >= 400) w.bad.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  page.on('requestfinished', (r) => {
    w.pending.push(
      r.sizes().then(
        (s) => {
          const kind = ['document', 'stylesheet', 'script'].includes(r.resourceType()) ? r.resourceType() : 'other';
          w.bytes[kind] += s.responseBodySize + s.responseHeadersSize;
        },
        () => {},
      ),
    );
  });
  return w;
}

/** Describes an element for messages: tag#id.class, and a short text. */
const DESCRIBE = `(el) => {
  if (!el || el === document.body || el === document.documentElement) return el ? el.tagName.toLowerCase() : 'nothing';
  let s = el.tagName.toLowerCase();
  if (el.id) s += '#' + el.id;
  if (el.classList.length) s += '.' + [...el.classList].join('.');
  const href = el.getAttribute('href');
  if (href) s += '[href="' + href + '"]';
  const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\\s+/g, ' ');
  if (text) s += ' «' + text.slice(0, 40) + '»';
  return s;
}`;

/** Presses Tab and returns what got focus, with its focus style and whether it is the skip link. */
async function tabStop(page) {
  await page.keyboard.press('Tab');
  return page.evaluate((describe) => {
    const d = eval(describe);
    const el = document.activeElement;
    const cs = el && el !== document.body ? getComputedStyle(el) : null;
    const outline = cs && cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
    const shadow = cs && cs.boxShadow && cs.boxShadow !== 'none';
    let target = null;
    const href = el && el.getAttribute && el.getAttribute('href');
    if (el && el.tagName === 'A' && href) {
      const u = new URL(el.href, location.href);
      if (u.hash && u.pathname === location.pathname) {
        const id = decodeURIComponent(u.hash.slice(1));
        target = { id, exists: !!document.getElementById(id) };
      }
    }
    const main = document.querySelector('main');
    return {
      desc: d(el),
      id: el ? el.id : '',
      tag: el ? el.tagName.toLowerCase() : '',
      href: el && el.href ? el.href : '',
      isBody: !el || el === document.body,
      inMain: !!(main && el && main.contains(el)),
      visibleFocus: !!(outline || shadow),
      focusStyle: cs ? `outline: ${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}; box-shadow: ${cs.boxShadow}` : '',
      target,
    };
  }, DESCRIBE);
}

async function injectAxe(page) {
  const has = await page.evaluate(() => typeof window.axe !== 'undefined').catch(() => false);
  if (!has) await page.addScriptTag({ path: AXE_PATH });
}

/**
 * axe cannot run in a page with JavaScript off (its timers never fire there). So the DOM a
 * visitor without JavaScript gets is replayed in a JavaScript-enabled page at the same address:
 * the no-JS page's DOM, with its <script> elements removed and its <noscript> elements unwrapped
 * (what a browser without scripting renders), served in place of the document. The stylesheets
 * and images load from the server as usual.
 */
async function replayWithoutScripts(nojsPage) {
  const html = await nojsPage.evaluate(() => {
    const root = document.documentElement.cloneNode(true);
    for (const s of root.querySelectorAll('script')) s.remove();
    for (const n of root.querySelectorAll('noscript')) n.replaceWith(...n.childNodes);
    return '<!doctype html>\n' + root.outerHTML;
  });
  const at = nojsPage.url();
  const page = await js.newPage();
  await page.setViewportSize(nojsPage.viewportSize());
  await page.route(at, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  await page.route((u) => /\.m?js(\?|$)/.test(u.pathname), (route) => route.abort('blockedbyclient'));
  await page.goto(at);
  await settle(page);
  return page;
}
function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => { timer = setTimeout(() => reject(new CheckFailure(`${what} did not finish in ${ms / 1000} s`)), ms); })]).finally(() => clearTimeout(timer));
}

function formatViolations(violations) {
  const lines = [];
  for (const v of violations) {
    lines.push(`${v.id} (${v.impact}): ${v.help} — ${v.helpUrl}`);
    for (const n of v.nodes.slice(0, 12)) {
      const why = (n.failureSummary || '').split('\n').filter((l) => l.trim() && !/^Fix (any|all)/.test(l)).map((l) => l.trim()).join(' / ');
      lines.push(`    ${n.target.join(' >> ')}${why ? `  — ${why.slice(0, 220)}` : ''}`);
    }
    if (v.nodes.length > 12) lines.push(`    … and ${v.nodes.length - 12} more`);
  }
  return lines.join('\n');
}

const axeFindings = []; // {page, width, id, impact, help, targets}

/** Runs axe on the page as it is now; saves the JSON; fails listing every violation. */
async function axeCheck(page, key, label, width) {
  await injectAxe(page);
  const r = await withTimeout(page.evaluate(
    async (tags) => {
      // eslint-disable-next-line no-undef
      const res = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      const slim = (x) => ({ id: x.id, impact: x.impact, tags: x.tags, description: x.description, help: x.help, helpUrl: x.helpUrl, nodes: x.nodes.map((n) => ({ target: n.target, html: n.html, impact: n.impact, failureSummary: n.failureSummary })) });
      return {
        url: res.url,
        timestamp: res.timestamp,
        testEngine: res.testEngine,
        testEnvironment: res.testEnvironment,
        toolOptions: res.toolOptions,
        violations: res.violations.map(slim),
        incomplete: res.incomplete.map((x) => ({ id: x.id, impact: x.impact, help: x.help, nodes: x.nodes.map((n) => ({ target: n.target })) })),
        passes: res.passes.map((x) => x.id),
        inapplicable: res.inapplicable.map((x) => x.id),
      };
    },
    AXE_TAGS,
  ), 60000, 'axe.run');
  await fs.writeFile(path.join(ART, `axe-${key}-${width}.json`), JSON.stringify({ page: label, width, ...r }, null, 2));
  for (const v of r.violations) axeFindings.push({ page: label, width, id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' >> ')) });
  assert(r.violations.length === 0, () => `${r.violations.length} violation(s):\n${formatViolations(r.violations)}`);
  return `${r.passes.length} rules passed, ${r.incomplete.length} need review`;
}

// ---------------------------------------------------------------------------------------------
// Browser

const browser = await chromium
  .launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
  })
  .catch((e) => {
    record('launch Chromium', false, String(e && e.message));
    console.log('\nbrowser: 0 passed, 1 failed');
    process.exit(1);
  });
console.log(`Chromium ${browser.version()}, axe-core ${JSON.parse(await fs.readFile(path.join(path.dirname(AXE_PATH), 'package.json'), 'utf8')).version}, site ${BASE}/`);

async function newContext(javaScriptEnabled) {
  const ctx = await browser.newContext({ javaScriptEnabled, viewport: { width: 1280, height: 900 }, locale: 'nb-NO', reducedMotion: 'reduce' });
  ctx.setDefaultTimeout(10000);
  ctx.setDefaultNavigationTimeout(15000);
  // Nothing may leave the machine: requests to other hosts are blocked (and reported by watch()).
  await ctx.route((u) => u.origin !== ORIGIN, (route) => route.abort('blockedbyclient'));
  return ctx;
}
const js = await newContext(true);
const nojs = await newContext(false);

async function settle(page) {
  await page.waitForLoadState('networkidle', { timeout: 3000 }).catch(() => {});
}

// ---------------------------------------------------------------------------------------------
// Discover the pages by following links (without JavaScript: the static links every visitor gets)

async function linksOn(ctx, p, selector = 'main a[href]') {
  const page = await ctx.newPage();
  try {
    const res = await page.goto(url(p));
    if (!res || res.status() !== 200) return { status: res ? res.status() : 0, links: [] };
    const links = await page.$$eval(selector, (as) => as.map((a) => a.href));
    return { status: 200, links: links.map(pathOf) };
  } catch (e) {
    return { status: 0, links: [], error: e.message };
  } finally {
    await page.close();
  }
}
function pick(links, re, prefer) {
  const matching = [...new Set(links)].filter((l) => re.test(l));
  return (prefer && matching.find((l) => l === prefer)) || matching[0] || null;
}
const notPager = (re) => new RegExp(re.source.replace('[^/]+', '(?!page/)(?!(?:fokusomrade|malgruppe|fylke|kommune)/)[^/]+'));

const discovered = {};
await check('discover pages by following links', async () => {
  const problems = [];
  const from = async (key, listing, re, prefer, selector) => {
    const { status, links, error } = await linksOn(nojs, listing, selector);
    const found = pick(links, re, prefer);
    if (found) discovered[key] = found;
    else problems.push(`${key}: no link matching ${re} on ${listing} (status ${status}${error ? `, ${error}` : ''})`);
  };
  await from('story', '/historier/', notPager(/^\/historier\/[^/]+\/$/));
  await from('testimonial', '/erfaringer/', notPager(/^\/erfaringer\/[^/]+\/$/));
  await from('tip', '/tips/', notPager(/^\/tips\/[^/]+\/$/), null, 'main [data-tips-list] a[href], main a[href]');
  await from('tipsFilter', '/tips/', /^\/tips\/(fokusomrade|malgruppe|fylke|kommune)\/[^/]+\/$/, '/tips/malgruppe/ledere/', 'nav[data-tips-facets] a[href]');
  await from('term', '/fokusomrade/', /^\/fokusomrade\/(?!page\/)[^/]+\/$/, '/fokusomrade/mentorprogram/');
  // The focus-area landing pages are linked from the home page (and the /fokusomrader/ section).
  const home = await linksOn(nojs, '/', 'a[href]');
  const focus = pick(home.links, /^\/fokusomrader\/[^/]+\/$/, '/fokusomrader/mentorprogram/');
  discovered.focusArea = focus || '/fokusomrader/mentorprogram/';
  if (!focus) problems.push('focusArea: the home page links to no /fokusomrader/<name>/ page');
  // Fall back to the addresses named in the issue, so the page checks still run and fail clearly.
  discovered.tipsFilter ??= '/tips/malgruppe/ledere/';
  discovered.term ??= '/fokusomrade/mentorprogram/';
  assert(problems.length === 0, problems.join('\n'));
  return Object.entries(discovered).map(([k, v]) => `${k} ${v}`).join(', ');
});

const PAGES = [
  { key: 'home', label: 'home', path: '/', shots: 'home' },
  { key: 'focus-areas', label: 'focus-area listing', path: '/fokusomrader/' },
  { key: 'focus-area', label: 'focus-area page', path: discovered.focusArea },
  { key: 'stories', label: 'stories listing', path: '/historier/' },
  { key: 'story', label: 'story', path: discovered.story },
  { key: 'testimonials', label: 'testimonials listing', path: '/erfaringer/' },
  { key: 'testimonial', label: 'testimonial', path: discovered.testimonial },
  { key: 'tips', label: 'tips archive', path: '/tips/', shots: 'tips' },
  { key: 'tip', label: 'tip', path: discovered.tip },
  { key: 'tips-filter', label: 'tips filter page', path: discovered.tipsFilter },
  { key: 'taxonomy', label: 'taxonomy list', path: '/fokusomrade/' },
  { key: 'term', label: 'taxonomy term', path: discovered.term },
  { key: 'learning-network', label: 'learning network', path: '/laeringsnettverk/' },
  { key: 'about', label: 'about', path: '/om-jobbvinner/' },
  { key: 'a11y-statement', label: 'accessibility statement', path: '/tilgjengelighetserklaering/' },
  { key: '404', label: '404 page', path: '/finnes-ikke/', status: 404 },
];

// ---------------------------------------------------------------------------------------------
// Every page type

const weights = [];

async function testPage(spec, ctx, { jsEnabled = true, suffix = '' } = {}) {
  const expectStatus = spec.status || 200;
  const name = (what) => `[${spec.label}${suffix} ${spec.path}] ${what}`;
  const key = spec.key + (jsEnabled ? '' : '-nojs');
  if (!spec.path) {
    await check(name('discovered'), () => assert(false, 'no URL found for this page type (see "discover pages")'));
    return;
  }
  const t0 = Date.now();
  const page = await ctx.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  const w = watch(page, { expectStatus });
  w.mainPath = pathOf(url(spec.path));
  let res = null;
  const loaded = await check(name(`loads with status ${expectStatus}`), async () => {
    res = await page.goto(url(spec.path), { waitUntil: 'load' });
    await settle(page);
    assert(res, 'no response');
    assert(res.status() === expectStatus, `status ${res.status()}, expected ${expectStatus}`);
    if (expectStatus === 404) {
      // The missing page must be the theme's 404 page: the same title and h1 as /404.html.
      const nf = await page.context().newPage();
      try {
        const r = await nf.goto(url('/404.html'));
        assert(r && r.status() === 200, `/404.html answered ${r && r.status()}`);
        const want = { title: await nf.title(), h1: await nf.locator('h1').allInnerTexts() };
        const got = { title: await page.title(), h1: await page.locator('h1').allInnerTexts() };
        assert(JSON.stringify(want) === JSON.stringify(got), `this is not the theme's 404 page: got ${JSON.stringify(got)}, /404.html has ${JSON.stringify(want)}`);
      } finally {
        await nf.close();
      }
    }
  }, { always: true });
  if (!loaded) {
    await page.close();
    return;
  }

  await check(name('structure: lang="nb", one h1, one main, headings in order'), async () => {
    const s = await page.evaluate((describe) => {
      const d = eval(describe);
      const shown = (el) => el.getClientRects().length > 0 && !el.closest('[aria-hidden="true"], [hidden]');
      const hs = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter(shown);
      const skips = [];
      for (let i = 1; i < hs.length; i++) {
        const a = +hs[i - 1].tagName[1];
        const b = +hs[i].tagName[1];
        if (b > a + 1) skips.push(`${d(hs[i - 1])} → ${d(hs[i])}`);
      }
      return {
        lang: document.documentElement.getAttribute('lang'),
        h1: [...document.querySelectorAll('h1')].map(d),
        main: document.querySelectorAll('main, [role="main"]').length,
        skips,
        outline: hs.map((h) => `${h.tagName.toLowerCase()} ${(h.innerText || '').trim().slice(0, 50)}`),
      };
    }, DESCRIBE);
    const problems = [];
    if (s.lang !== 'nb') problems.push(`html lang is ${JSON.stringify(s.lang)}, expected "nb"`);
    if (s.h1.length !== 1) problems.push(`${s.h1.length} h1 elements (expected exactly 1): ${s.h1.join(', ')}`);
    if (s.main !== 1) problems.push(`${s.main} main elements (expected exactly 1)`);
    if (s.skips.length) problems.push(`heading levels skip:\n  ${s.skips.join('\n  ')}\n  outline:\n    ${s.outline.join('\n    ')}`);
    assert(problems.length === 0, problems.join('\n'));
  });

  await check(name('skip link is the first Tab stop and its target exists'), async () => {
    await page.evaluate(() => {
      document.activeElement && document.activeElement.blur && document.activeElement.blur();
      window.scrollTo(0, 0);
    });
    const first = await tabStop(page);
    assert(first.target, `first Tab stop is ${first.desc}, not a link to a place on the same page`);
    assert(first.target.exists, `skip link ${first.desc} points at #${first.target.id}, which does not exist`);
    await page.evaluate(() => document.activeElement && document.activeElement.blur());
    return `${first.desc} → #${first.target.id}`;
  });

  // With JavaScript off, the layout and axe checks run on a replay of the no-JS DOM (see
  // replayWithoutScripts); the load, structure and keyboard checks ran on the real page.
  let view = page;
  if (!jsEnabled) {
    const ok = await check(name('replay the no-JS DOM for axe'), async () => {
      view = await replayWithoutScripts(page);
    });
    if (!ok) view = null;
  }
  const shot = spec.shots && (jsEnabled ? spec.shots : `${spec.shots}-nojs`);
  const shoot = async (width) => {
    if (!shot || !view || (!jsEnabled && width !== 1280)) return;
    await check(name(`screenshot ${shot}-${width}.png`), async () => {
      await view.setViewportSize({ width, height: 900 });
      await view.screenshot({ path: path.join(ART, `${shot}-${width}.png`), fullPage: true });
    });
  };

  if (view) await check(name('axe (WCAG 2.1 A/AA) at 1280 px: no violations'), () => axeCheck(view, key, spec.label + suffix, 1280));
  await shoot(1280);
  await shoot(375);

  if (view) await view.setViewportSize({ width: 320, height: 800 });
  if (view) await check(name('no horizontal scrolling at 320 px'), async () => {
    const r = await view.evaluate((describe) => {
      const d = eval(describe);
      const de = document.documentElement;
      const cw = de.clientWidth;
      const wide = [];
      if (de.scrollWidth > cw + 1) {
        for (const el of document.body.querySelectorAll('*')) {
          const rect = el.getBoundingClientRect();
          if (rect.right > cw + 1 && rect.width > 0 && ![...el.children].some((c) => c.getBoundingClientRect().right > cw + 1)) wide.push(`${d(el)} right edge at ${Math.round(rect.right)} px`);
          if (wide.length >= 8) break;
        }
      }
      return { scrollWidth: de.scrollWidth, clientWidth: cw, wide };
    }, DESCRIBE);
    assert(r.scrollWidth <= r.clientWidth + 1, `scrollWidth ${r.scrollWidth} > clientWidth ${r.clientWidth}; elements sticking out:\n  ${r.wide.join('\n  ')}`);
  });
  if (view) await check(name('axe (WCAG 2.1 A/AA) at 320 px: no violations'), () => axeCheck(view, key, spec.label + suffix, 320));
  if (view && view !== page) await view.close();

  await settle(page);
  await Promise.all(w.pending);
  await check(name('no console errors, failed requests or requests to other hosts'), () => {
    const problems = [];
    if (w.console.length) problems.push(`console errors:\n  ${w.console.join('\n  ')}`);
    if (w.pageErrors.length) problems.push(`uncaught exceptions:\n  ${w.pageErrors.join('\n  ')}`);
    if (w.failed.length) problems.push(`failed requests:\n  ${w.failed.join('\n  ')}`);
    if (w.bad.length) problems.push(`responses >= 400:\n  ${w.bad.join('\n  ')}`);
    if (w.foreign.length) problems.push(`requests to other hosts (blocked):\n  ${w.foreign.join('\n  ')}`);
    assert(problems.length === 0, problems.join('\n'));
  });
  if (jsEnabled) weights.push({ page: `${spec.label} ${spec.path}`, ...w.bytes, seconds: (Date.now() - t0) / 1000 });
  await page.close();
}

for (const spec of PAGES) await testPage(spec, js);
// The tips pages as visitors without JavaScript get them (the facet links instead of the form).
for (const spec of PAGES.filter((p) => p.key === 'tips' || p.key === 'tips-filter')) await testPage(spec, nojs, { jsEnabled: false, suffix: ', no JS' });

// ---------------------------------------------------------------------------------------------
// Tips filter without JavaScript: facet links to static filter pages

/** Paths of the tips listed on a page: the first link of every `[data-tips-list] li`. */
async function listedTips(page) {
  return page.$$eval('[data-tips-list] li', (lis) => lis.map((li) => {
    const a = li.querySelector('a[href]');
    return a ? new URL(a.href).pathname : `(li without link: ${li.textContent.trim().slice(0, 40)})`;
  }));
}
function termOfFilterPath(p) {
  const m = /^\/tips\/([^/]+)\/([^/]+)\/(?:page\/\d+\/)?$/.exec(p);
  return m ? { taxonomy: m[1], slug: m[2] } : null;
}

await check('[tips, no JS] /tips/ shows the facet links nav[data-tips-facets] and hides form[data-tips-filter]', async () => {
  const page = await nojs.newPage();
  try {
    const res = await page.goto(url('/tips/'));
    assert(res && res.status() === 200, `status ${res && res.status()}`);
    const nav = page.locator('nav[data-tips-facets]');
    assert((await nav.count()) === 1, `${await nav.count()} nav[data-tips-facets] elements (expected 1)`);
    assert(await nav.isVisible(), 'nav[data-tips-facets] is not visible');
    const links = await nav.locator('a[href]').evaluateAll((as) => as.map((a) => new URL(a.href).pathname));
    assert(links.length > 0, 'nav[data-tips-facets] has no links');
    const bad = links.filter((l) => !termOfFilterPath(l) || !TAXONOMIES.includes(termOfFilterPath(l).taxonomy));
    assert(bad.length === 0, `facet links that are not /tips/<taxonomy>/<term>/: ${bad.join(', ')}`);
    const form = page.locator('form[data-tips-filter]');
    const n = await form.count();
    assert(n === 1, `${n} form[data-tips-filter] elements (expected 1, hidden without JavaScript)`);
    assert(!(await form.isVisible()), 'form[data-tips-filter] is visible without JavaScript');
    const list = await listedTips(page);
    assert(list.length > 0, '[data-tips-list] li: no tips listed on /tips/');
    return `${links.length} facet links, ${list.length} tips listed`;
  } finally {
    await page.close();
  }
});

await check('[tips, no JS] following a facet link gives a static page listing exactly the tips with that term (all pagination pages, vs search.json)', async () => {
  const page = await nojs.newPage();
  try {
    await page.goto(url('/tips/'));
    const hrefs = await page.locator('nav[data-tips-facets] a[href]').evaluateAll((as) => as.map((a) => ({ path: new URL(a.href).pathname, text: a.textContent.trim() })));
    assert(hrefs.length, 'no facet links on /tips/');
    const chosen = hrefs.find((h) => h.path === '/tips/malgruppe/ledere/') || hrefs.find((h) => /^Ledere\b/.test(h.text)) || hrefs[0];
    const link = page.locator(`nav[data-tips-facets] a[href$="${chosen.path}"]`).first();
    const [res] = await Promise.all([page.waitForNavigation(), link.click()]);
    assert(res && res.status() === 200, `following «${chosen.text}» (${chosen.path}) answered ${res && res.status()}`);
    assert(pathOf(page.url()) === chosen.path, `landed on ${page.url()}, expected ${chosen.path}`);
    const term = termOfFilterPath(chosen.path);
    const listed = new Set();
    const visited = [];
    for (let i = 0; i < 30; i++) {
      visited.push(pathOf(page.url()));
      for (const p of await listedTips(page)) listed.add(p);
      const next = await page.evaluate(() => {
        const a = document.querySelector('a[rel~="next"][href], link[rel~="next"][href]');
        return a ? a.href : null;
      });
      if (!next) break;
      const r = await page.goto(next);
      assert(r && r.status() === 200, `pagination page ${next} answered ${r && r.status()}`);
    }
    const index = await searchIndex();
    const expected = new Set(index.filter((p) => (p.taxonomies[term.taxonomy] || []).some((t) => slugify(t) === term.slug)).map((p) => p.path));
    assert(expected.size > 0, `search.json has no tip with ${term.taxonomy} = ${term.slug}`);
    assert(sameSet(listed, expected), () => `listed on ${visited.join(', ')}:\n${setDiff(listed, expected)}`);
    return `«${chosen.text}» ${chosen.path}: ${listed.size} tips over ${visited.length} page(s)`;
  } finally {
    await page.close();
  }
});

// ---------------------------------------------------------------------------------------------
// Tips filter with JavaScript: the form filters the list in place

/** Polls the listed tips until accept(set) holds or WAIT_MS passes; returns the last set seen. */
async function waitForList(page, accept) {
  const until = Date.now() + WAIT_MS;
  let last;
  for (;;) {
    last = new Set(await listedTips(page));
    if (accept(last) || Date.now() > until) return last;
    await sleep(100);
  }
}
/** Polls [data-tips-status] until accept(text) holds or WAIT_MS passes (it may wait for a pause in typing). */
async function waitForStatus(page, accept) {
  const until = Date.now() + WAIT_MS;
  for (;;) {
    const text = await statusText(page);
    if (accept(text || '') || Date.now() > until) return text;
    await sleep(100);
  }
}
const mentions = (text, n) => !!text && new RegExp(`(^|\\D)${n}(\\D|$)`).test(text);
async function statusText(page) {
  const s = page.locator('[data-tips-status]');
  return (await s.count()) ? ((await s.first().textContent()) || '').trim().replace(/\s+/g, ' ') : null;
}

{
  const page = await js.newPage();
  const w = watch(page);
  w.mainPath = '/tips/';
  let ready = false;
  let initial = new Set();
  let initialStatus = null;
  ready = await check('[tips, JS] the form form[data-tips-filter] becomes visible on /tips/', async () => {
    const res = await page.goto(url('/tips/'));
    assert(res && res.status() === 200, `status ${res && res.status()}`);
    await settle(page);
    const form = page.locator('form[data-tips-filter]');
    assert((await form.count()) === 1, `${await form.count()} form[data-tips-filter] elements (expected 1)`);
    await form.waitFor({ state: 'visible', timeout: WAIT_MS }).catch(() => {});
    assert(await form.isVisible(), 'form[data-tips-filter] stays hidden with JavaScript on');
    const missing = [];
    for (const sel of ['#tips-q', ...FILTER_SELECTS, '[data-tips-list]', '[data-tips-status]']) if (!(await page.locator(sel).count())) missing.push(sel);
    assert(missing.length === 0, `missing: ${missing.join(', ')}`);
    initial = await waitForList(page, (s) => s.size > 0);
    initialStatus = await statusText(page);
    assert(initial.size > 0, 'no tips listed');
    await page.evaluate(() => {
      window.__jobbvinnerBrowserTest = 'same document';
    });
    return `${initial.size} tips listed, status «${initialStatus}»`;
  });

  const sameDocument = async () => {
    const problems = [];
    if (pathOf(page.url()) !== '/tips/') problems.push(`URL path is now ${pathOf(page.url())}, expected /tips/`);
    const marker = await page.evaluate(() => window.__jobbvinnerBrowserTest).catch(() => undefined);
    if (marker !== 'same document') problems.push('a new document was loaded (the page navigated)');
    if (w.documents !== 1) problems.push(`${w.documents} document requests (expected 1: the filter must not navigate)`);
    return problems;
  };

  const selectTerm = async (selectId, preferLabel) => {
    const options = await page.locator(selectId + ' option').evaluateAll((os) => os.map((o) => ({ value: o.value, label: o.textContent.trim() })));
    const real = options.filter((o) => o.value !== '');
    assert(real.length > 0, `${selectId} has no options with a value`);
    return real.find((o) => o.label.replace(/\s*\(\d+\)\s*$/, '') === preferLabel) || real[0];
  };
  const termMatches = (name, option) => name === option.value || slugify(name) === option.value || slugify(name) === slugify(option.label.replace(/\s*\(\d+\)\s*$/, ''));

  if (ready) {
    for (const [taxonomy, prefer] of [['malgruppe', 'Ledere'], ['fokusomrade', 'Mentorprogram']]) {
      const sel = `#tips-${taxonomy}`;
      await check(`[tips, JS] choosing an option in ${sel} updates [data-tips-list] in place to exactly the matching tips, and [data-tips-status] gives the count`, async () => {
        const index = await searchIndex();
        const option = await selectTerm(sel, prefer);
        const expected = new Set(index.filter((p) => (p.taxonomies[taxonomy] || []).some((t) => termMatches(t, option))).map((p) => p.path));
        assert(expected.size > 0, `search.json has no tip whose ${taxonomy} matches option ${JSON.stringify(option)}`);
        const before = await statusText(page);
        await page.selectOption(sel, option.value);
        const got = await waitForList(page, (s) => sameSet(s, expected));
        const problems = [];
        if (!sameSet(got, expected)) problems.push(`listed after choosing «${option.label}» (value ${JSON.stringify(option.value)}):\n${setDiff(got, expected)}`);
        const status = await waitForStatus(page, (t) => t !== before && mentions(t, expected.size));
        if (status === before) problems.push(`[data-tips-status] did not change: «${status}»`);
        if (!mentions(status, expected.size)) problems.push(`[data-tips-status] «${status}» does not mention the count ${expected.size}`);
        problems.push(...(await sameDocument()));
        assert(problems.length === 0, problems.join('\n'));
        return `«${option.label}»: ${got.size} tips, status «${status}»`;
      });
      await check(`[tips, JS] resetting ${sel} restores the full list`, async () => {
        await page.selectOption(sel, '');
        const got = await waitForList(page, (s) => sameSet(s, initial));
        assert(sameSet(got, initial), () => setDiff(got, initial));
      });
    }

    const searchCheck = async (label, query, lowerRe, upperPrefix, extra, folded = false) => {
      await check(`[tips, JS] typing «${query}» into #tips-q ${label}`, async () => {
        const index = await searchIndex();
        const all = new Set(index.map((p) => p.path));
        // Lower bound: pages whose title or text has the word or one of its inflections: they
        // must be found. Upper bound: pages with some word starting with the stem: nothing else may be.
        const lower = new Set(index.filter((p) => haystack(p, { description: false, terms: false }).some((x) => lowerRe.test(x))).map((p) => p.path));
        const upper = new Set(index.filter((p) => haystack(p).some((x) => (folded ? fold(x) : x).startsWith(upperPrefix))).map((p) => p.path));
        assert(lower.size > 0, `no tip in search.json has a word matching ${lowerRe}: the test data changed; pick another word`);
        await page.fill('#tips-q', query);
        const ok = (s) => s.size > 0 && [...lower].every((x) => s.has(x)) && [...s].every((x) => upper.has(x));
        const got = await waitForList(page, ok);
        const problems = [];
        if (got.size === 0) problems.push('no tips listed');
        const missed = sorted(lower).filter((x) => !got.has(x));
        if (missed.length) problems.push(`not found, though their text has the word (or an inflection):\n  ${missed.join('\n  ')}`);
        const wrong = sorted(got).filter((x) => !upper.has(x));
        if (wrong.length) problems.push(`listed, though no word in them starts with «${upperPrefix}»:\n  ${wrong.join('\n  ')}`);
        const unknown = sorted(got).filter((x) => !all.has(x));
        if (unknown.length) problems.push(`listed but not in search.json: ${unknown.join(', ')}`);
        if (extra) problems.push(...extra(got, index));
        const status = await waitForStatus(page, (t) => mentions(t, got.size));
        if (!mentions(status, got.size)) problems.push(`[data-tips-status] «${status}» does not mention the count ${got.size}`);
        problems.push(...(await sameDocument()));
        assert(problems.length === 0, problems.join('\n'));
        return `${got.size} tips (must find ${lower.size}, may find ${upper.size}), status «${status}»`;
      });
    };

    await searchCheck('finds the inflected forms (sykepleiere, sykepleierne)', 'sykepleier', /^sykepleier(e|en|ens|es|ne|nes|s)?$/, 'sykepleier', (got, index) => {
      const byPath = new Map(index.map((p) => [p.path, p]));
      const inflected = [...got].filter((x) => byPath.has(x) && haystack(byPath.get(x), { terms: false }).some((wd) => wd === 'sykepleierne' || wd === 'sykepleiere'));
      const onlyInflected = [...got].filter((x) => byPath.has(x) && !haystack(byPath.get(x), { terms: false }).includes('sykepleier'));
      const out = [];
      if (!inflected.length) out.push('no listed tip contains «sykepleierne» or «sykepleiere»');
      const needOnly = index.some((p) => haystack(p, { description: false, terms: false }).some((wd) => /^sykepleier(e|ne)$/.test(wd)) && !haystack(p, { terms: false }).includes('sykepleier'));
      if (needOnly && !onlyInflected.length) out.push('no listed tip is found only through an inflected form (every one has the bare word «sykepleier»)');
      return out;
    });

    // æ, ø, å: a word with each letter that the data has, found as typed.
    const index = await searchIndex().catch(() => null);
    if (index) {
      const candidates = { ø: ['møte', 'første', 'prøve', 'følge', 'støtte', 'søke'], æ: ['lærling', 'lærer', 'være', 'læring'], å: ['åpen', 'måte', 'både', 'mål', 'får'] };
      for (const [letter, list] of Object.entries(candidates)) {
        const q = list.find((c) => index.some((p) => haystack(p, { description: false, terms: false }).includes(c)));
        if (!q) {
          info(`no candidate word with «${letter}» occurs in search.json (${list.join(', ')}); skipped`);
          continue;
        }
        // May find: any word that starts like it, with æ=ae, ø=o, å=a folded as the site's URLs are.
        const folded = fold(q);
        await searchCheck(`finds tips with «${letter}» (${q})`, q, new RegExp(`^${q}$`), folded.slice(0, Math.max(3, folded.length - 2)), null, true);
      }
    } else {
      await check('[tips, JS] æøå search', () => searchIndex());
    }

    await check('[tips, JS] clearing #tips-q restores the full list', async () => {
      await page.fill('#tips-q', '');
      const got = await waitForList(page, (s) => sameSet(s, initial));
      const problems = [];
      if (!sameSet(got, initial)) problems.push(setDiff(got, initial));
      problems.push(...(await sameDocument()));
      assert(problems.length === 0, problems.join('\n'));
      return `${got.size} tips`;
    });

    await settle(page);
    await Promise.all(w.pending);
    await check('[tips, JS] no console errors or failed requests while filtering', () => {
      const problems = [...w.console, ...w.pageErrors, ...w.failed, ...w.bad, ...w.foreign.map((f) => `foreign: ${f}`)];
      assert(problems.length === 0, problems.join('\n'));
    });
  }
  await page.close();
}

// ---------------------------------------------------------------------------------------------
// Keyboard

async function keyboardWalk(ctx, targets) {
  const page = await ctx.newPage();
  try {
    const res = await page.goto(url('/tips/'));
    assert(res && res.status() === 200, `status ${res && res.status()}`);
    await settle(page);
    const stops = [];
    const wanted = new Map(); // selector → index of the stop that reached it
    const targetIds = await page.evaluate((sels) => sels.map((s) => {
      const el = document.querySelector(s);
      return el ? { sel: s, present: true } : { sel: s, present: false };
    }), targets);
    for (let i = 0; i < 80; i++) {
      const stop = await tabStop(page);
      stops.push(stop);
      const hit = await page.evaluate((sels) => sels.filter((s) => document.activeElement && document.activeElement.matches(s)), targets);
      for (const s of hit) if (!wanted.has(s)) wanted.set(s, i + 1);
      if (wanted.size === targets.length && stops.length >= FOCUS_STOPS_CHECKED) break;
    }
    return { stops, wanted, targetIds };
  } finally {
    await page.close();
  }
}

function focusProblems(stops) {
  return stops
    .slice(0, FOCUS_STOPS_CHECKED)
    .map((s, i) => (s.isBody || s.visibleFocus ? null : `stop ${i + 1}: ${s.desc} has no visible focus indicator (${s.focusStyle})`))
    .filter(Boolean);
}

await check('[keyboard, JS] Tab from the top of /tips/: skip link first, then #tips-q and the selects; visible focus on the first 20 stops', async () => {
  const targets = ['#tips-q', ...FILTER_SELECTS];
  const { stops, wanted, targetIds } = await keyboardWalk(js, targets);
  const problems = [];
  if (!stops[0].target || !stops[0].target.exists) problems.push(`first Tab stop is ${stops[0].desc}, not a skip link to an existing target`);
  for (const t of targetIds) {
    if (!t.present) problems.push(`${t.sel} is not on the page`);
    else if (!wanted.has(t.sel)) problems.push(`${t.sel} was not reached in ${stops.length} Tab presses`);
  }
  problems.push(...focusProblems(stops));
  assert(problems.length === 0, () => `${problems.join('\n')}\nTab order:\n  ${stops.slice(0, 30).map((s, i) => `${i + 1}. ${s.desc}`).join('\n  ')}`);
  return [...wanted].map(([s, i]) => `${s} at stop ${i}`).join(', ');
});

await check('[keyboard, no JS] Tab from the top of /tips/: skip link first, then the first facet link; visible focus on the first 20 stops', async () => {
  const { stops, wanted, targetIds } = await keyboardWalk(nojs, ['nav[data-tips-facets] a[href]']);
  const problems = [];
  if (!stops[0].target || !stops[0].target.exists) problems.push(`first Tab stop is ${stops[0].desc}, not a skip link to an existing target`);
  if (!targetIds[0].present) problems.push('there is no nav[data-tips-facets] link on /tips/');
  else if (!wanted.size) problems.push(`no facet link was reached in ${stops.length} Tab presses`);
  problems.push(...focusProblems(stops));
  assert(problems.length === 0, () => `${problems.join('\n')}\nTab order:\n  ${stops.slice(0, 30).map((s, i) => `${i + 1}. ${s.desc}`).join('\n  ')}`);
  return `first facet link at stop ${[...wanted.values()][0]}`;
});

for (const [ctx, label] of [[js, 'JS'], [nojs, 'no JS']]) {
  await check(`[keyboard, ${label}] activating the skip link (Enter) moves focus into main, and the next Tab stays in main`, async () => {
    const page = await ctx.newPage();
    try {
      await page.goto(url('/tips/'));
      await settle(page);
      const first = await tabStop(page);
      assert(first.target && first.target.exists, `first Tab stop is ${first.desc}, not a skip link`);
      await page.keyboard.press('Enter');
      await sleep(150);
      const after = await page.evaluate((describe) => {
        const d = eval(describe);
        const main = document.querySelector('main');
        const el = document.activeElement;
        return { desc: d(el), inMain: !!(main && el && (el === main || main.contains(el))), hash: location.hash };
      }, DESCRIBE);
      assert(after.inMain, `after Enter on the skip link, focus is on ${after.desc} (outside main)`);
      const next = await tabStop(page);
      assert(next.inMain, `the Tab after the skip link went to ${next.desc}, outside main`);
      return `focus on ${after.desc}, next Tab ${next.desc}`;
    } finally {
      await page.close();
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Summary

await browser.close();

if (weights.length) {
  console.log('\nTransferred bytes per page (as served by nginx with gzip; headers included):');
  console.log(`  ${'page'.padEnd(60)} ${'HTML'.padStart(8)} ${'CSS'.padStart(8)} ${'JS'.padStart(8)} ${'other'.padStart(8)} ${'test s'.padStart(7)}`);
  for (const x of weights) console.log(`  ${x.page.slice(0, 60).padEnd(60)} ${String(x.document).padStart(8)} ${String(x.stylesheet).padStart(8)} ${String(x.script).padStart(8)} ${String(x.other).padStart(8)} ${x.seconds.toFixed(1).padStart(7)}`);
}

const failed = results.filter((r) => !r.ok);
const passed = results.length - failed.length;
if (axeFindings.length) {
  console.log('\naxe violations (rule, impact, page @ width: selectors):');
  for (const f of axeFindings) console.log(`  ${f.id} (${f.impact}) ${f.page} @ ${f.width}px: ${f.targets.slice(0, 6).join(' | ')}${f.targets.length > 6 ? ` | … ${f.targets.length - 6} more` : ''}`);
}
await fs.writeFile(path.join(ART, 'results.json'), JSON.stringify({ base: BASE, seconds: (Date.now() - started) / 1000, results, axeFindings, weights }, null, 2));
console.log(`\nBrowser tests: ${results.length} checks in ${((Date.now() - started) / 1000).toFixed(1)} s; artifacts in ${ART}`);
if (failed.length) {
  console.log('Failed:');
  for (const f of failed) console.log(`  FAIL ${f.name}`);
}
console.log(`browser: ${passed} passed, ${failed.length} failed`);
process.exit(failed.length || results.length === 0 ? 1 : 0);
