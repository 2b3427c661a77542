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
//   - axe-core, tags wcag2a/wcag2aa/wcag21a/wcag21aa/wcag22aa/best-practice, no violations at
//     1280 px and at 320 px (400 % zoom), no horizontal scrolling at 320 px, and no word broken
//     at 320 px anywhere but at a (soft) hyphen;
//   - structure: html[lang="nb"], one h1, one main, a skip link as the first Tab stop whose
//     target exists, heading levels that never skip.
// Then the tips filter without JavaScript (facet links to static filter pages, checked against
// /tips/search.json across their pagination) and with JavaScript (the form filters the list in
// place; search with Norwegian inflections and æøå; clearing restores the list), keyboard
// navigation with visible focus, and full-page screenshots of the main page types at 320, 375,
// 768 and 1280 px. Then: the main menu (a <details> disclosure below 40em) with and without
// JavaScript and by keyboard; the tips filters collapsed on a phone with the count visible;
// heading anchors shown only on hover; prev/next only within a series; axe on every page of
// the site (1280 px); and Lighthouse (accessibility, best practices, SEO: 100 each) on one
// page of every type.
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
// WCAG 2.2 A/AA (2.0, 2.1 and 2.2 criteria) and axe-core's best-practice rules.
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const AXE_LABEL = 'WCAG 2.2 A/AA + best practice';
const SHOT_WIDTHS = [320, 375, 768, 1280];
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

// axe goes in through the DevTools protocol (page.evaluate), which the pages'
// Content-Security-Policy does not govern; a <script> tag added to the page would be refused.
let axeSource;
async function injectAxe(page) {
  const has = await page.evaluate(() => typeof window.axe !== 'undefined').catch(() => false);
  if (has) return;
  axeSource ??= await fs.readFile(AXE_PATH, 'utf8');
  await page.evaluate(axeSource);
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

/**
 * Run in the page: words (6+ letters) that the layout breaks across lines at a place that is
 * neither a soft hyphen (U+00AD, shown as «-» there) nor a hyphen: the browser's last resort
 * (overflow-wrap) for a word too long for the line. Each as «word» (element, font size).
 */
const BAD_BREAKS = `() => {
  const out = [];
  const tw = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = tw.nextNode());) {
    const el = n.parentElement;
    if (!el || !el.getClientRects().length || el.closest('script, style, [hidden]')) continue;
    const re = /[^\\s\\u00a0]{6,}/g;
    let m;
    while ((m = re.exec(n.data))) {
      const range = document.createRange();
      range.setStart(n, m.index);
      range.setEnd(n, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top)));
      if (tops.size < 2) continue;
      let prev = null;
      for (let k = 0; k < m[0].length; k++) {
        const r = document.createRange();
        r.setStart(n, m.index + k);
        r.setEnd(n, m.index + k + 1);
        const rect = [...r.getClientRects()].filter((x) => x.width > 0).pop();
        if (!rect) continue;
        const top = Math.round(rect.top);
        const before = m[0][k - 1];
        if (prev !== null && top > prev + 2 && before !== '\\u00ad' && before !== '-' && m[0][k] !== '\\u00ad') {
          out.push('«' + m[0].replace(/\\u00ad/g, '') + '» cut before «' + m[0].slice(k).replace(/\\u00ad/g, '') + '» (' + el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '') + ', ' + getComputedStyle(el).fontSize + ')');
          break;
        }
        if (m[0][k] !== '\\u00ad') prev = top;
      }
    }
  }
  return out;
}`;

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
  { key: 'focus-area', label: 'focus-area page', path: discovered.focusArea, shots: 'focus-area' },
  { key: 'stories', label: 'stories listing', path: '/historier/' },
  { key: 'story', label: 'story', path: discovered.story, shots: 'story' },
  { key: 'testimonials', label: 'testimonials listing', path: '/erfaringer/', shots: 'testimonials' },
  { key: 'testimonial', label: 'testimonial', path: discovered.testimonial },
  { key: 'tips', label: 'tips archive', path: '/tips/', shots: 'tips' },
  { key: 'tip', label: 'tip', path: discovered.tip, shots: 'tip' },
  { key: 'tips-filter', label: 'tips filter page', path: discovered.tipsFilter },
  { key: 'taxonomy', label: 'taxonomy list', path: '/fokusomrade/' },
  { key: 'term', label: 'taxonomy term', path: discovered.term, shots: 'term' },
  { key: 'learning-network', label: 'learning network', path: '/laeringsnettverk/' },
  { key: 'about', label: 'about', path: '/om-jobbvinner/', shots: 'about' },
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
    if (!shot || !view || (!jsEnabled && width !== 1280 && width !== 375)) return;
    await check(name(`screenshot ${shot}-${width}.png`), async () => {
      await view.setViewportSize({ width, height: 900 });
      // Lazy images below the fold load only once scrolled to.
      await view.evaluate(async () => {
        for (let y = 0; y < document.documentElement.scrollHeight; y += 600) {
          window.scrollTo(0, y);
          await new Promise((r) => setTimeout(r, 20));
        }
        window.scrollTo(0, 0);
        await Promise.all([...document.images].map((i) => (i.complete ? null : new Promise((r) => { i.onload = i.onerror = r; }))));
      });
      await view.screenshot({ path: path.join(ART, `${shot}-${width}.png`), fullPage: true });
    });
  };

  if (view) await check(name(`axe (${AXE_LABEL}) at 1280 px: no violations`), () => axeCheck(view, key, spec.label + suffix, 1280));
  for (const width of [...SHOT_WIDTHS].reverse()) await shoot(width);

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
  if (view) await check(name('no word broken at 320 px except at a (soft) hyphen'), async () => {
    const bad = await view.evaluate((src) => (0, eval)(src)(), BAD_BREAKS);
    assert(bad.length === 0, () => `words cut where they have no hyphen (add their parts to [hyphenation] parts in themes/jobbvinner/i18n/nb.toml, or apply the soft_hyphens filter to the text):\n  ${bad.slice(0, 12).join('\n  ')}`);
  });
  if (view) await check(name(`axe (${AXE_LABEL}) at 320 px: no violations`), () => axeCheck(view, key, spec.label + suffix, 320));
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
// The main menu: below 40em a <details> disclosure («Meny»), from 40em a plain list

const MENU_PAGE = '/om-jobbvinner/';
async function menuState(page) {
  return page.evaluate((describe) => {
    const d = eval(describe);
    const menu = document.querySelector('nav details[data-menu]');
    const button = menu && menu.querySelector('summary');
    const links = menu ? [...menu.querySelectorAll('a[href]')] : [];
    // checkVisibility() also knows the content of a closed <details> is not rendered.
    const shown = (el) => !!el && (el.checkVisibility ? el.checkVisibility({ visibilityProperty: true }) : el.getClientRects().length > 0);
    return {
      exists: !!menu,
      open: !!(menu && menu.open),
      button: shown(button),
      onButton: !!button && document.activeElement === button,
      linksShown: links.filter(shown).length,
      links: links.length,
      onFirstLink: links.length > 0 && document.activeElement === links[0],
      focus: d(document.activeElement),
    };
  }, DESCRIBE);
}
async function openAt(ctx, p, width, height = 800) {
  const page = await ctx.newPage();
  await page.setViewportSize({ width, height });
  const res = await page.goto(url(p));
  assert(res && res.status() === 200, `${p}: status ${res && res.status()}`);
  await settle(page);
  return page;
}

for (const [ctx, label] of [[js, 'JS'], [nojs, 'no JS']]) {
  await check(`[menu, ${label}] at 375 px: a «Meny» button and no links; Tab: skip link, site name, button; Enter opens it (Tab then reaches the first menu link, Shift+Tab returns), Space closes it`, async () => {
    const page = await openAt(ctx, MENU_PAGE, 375);
    try {
      let st = await menuState(page);
      assert(st.exists, 'no nav details[data-menu] on the page');
      assert(st.button && !st.open && st.linksShown === 0, `at 375 px the menu should be a closed button: ${JSON.stringify(st)}`);
      const stops = [];
      for (let i = 0; i < 3; i++) stops.push(await tabStop(page));
      st = await menuState(page);
      const problems = [];
      if (!stops[0].target) problems.push(`stop 1 is ${stops[0].desc}, not the skip link`);
      if (!/brand/.test(stops[1].desc)) problems.push(`stop 2 is ${stops[1].desc}, not the site name (a.brand)`);
      if (!st.onButton) problems.push(`stop 3 is ${stops[2].desc}, not the «Meny» button`);
      if (!stops[2].visibleFocus) problems.push(`the «Meny» button has no visible focus (${stops[2].focusStyle})`);
      assert(problems.length === 0, problems.join('\n'));
      await page.keyboard.press('Enter');
      st = await menuState(page);
      assert(st.open && st.linksShown === st.links && st.links > 0, `Enter on the button did not open the menu: ${JSON.stringify(st)}`);
      await page.keyboard.press('Tab');
      st = await menuState(page);
      assert(st.onFirstLink, `the Tab after opening went to ${st.focus}, not the first menu link`);
      await page.keyboard.press('Shift+Tab');
      st = await menuState(page);
      assert(st.onButton, `Shift+Tab went to ${st.focus}, not back to the button`);
      await page.keyboard.press('Space');
      st = await menuState(page);
      assert(!st.open && st.linksShown === 0, `Space on the open button did not close the menu: ${JSON.stringify(st)}`);
      await page.screenshot({ path: path.join(ART, `menu-closed-375${label === 'JS' ? '' : '-nojs'}.png`) });
      await page.keyboard.press('Enter');
      await page.screenshot({ path: path.join(ART, `menu-open-375${label === 'JS' ? '' : '-nojs'}.png`) });
      return `${st.links} links; Tab order ${stops.map((x) => x.desc).join(' → ')}`;
    } finally {
      await page.close();
    }
  });

  await check(`[menu, ${label}] at 1280 px: no button, every menu link shown; Tab: skip link, site name, first menu link`, async () => {
    const page = await openAt(ctx, MENU_PAGE, 1280);
    try {
      const st = await menuState(page);
      assert(!st.button && st.linksShown === st.links && st.links > 0, `at 1280 px the menu should be a plain list of links: ${JSON.stringify(st)}`);
      for (let i = 0; i < 3; i++) await tabStop(page);
      const after = await menuState(page);
      assert(after.onFirstLink, `the third Tab stop is ${after.focus}, not the first menu link`);
    } finally {
      await page.close();
    }
  });
}

await check('[menu, JS] at 375 px: Escape in the open menu closes it and puts focus back on the button', async () => {
  const page = await openAt(js, MENU_PAGE, 375);
  try {
    await page.focus('nav details[data-menu] summary');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    let st = await menuState(page);
    assert(st.open && st.onFirstLink, `could not open the menu and Tab into it: ${JSON.stringify(st)}`);
    await page.keyboard.press('Escape');
    st = await menuState(page);
    assert(!st.open && st.onButton, `after Escape: ${JSON.stringify(st)}`);
  } finally {
    await page.close();
  }
});

await check(`[menu, JS] axe (${AXE_LABEL}) at 375 px with the menu open: no violations`, async () => {
  const page = await openAt(js, MENU_PAGE, 375);
  try {
    await page.evaluate(() => { document.querySelector('nav details[data-menu]').open = true; });
    return await axeCheck(page, 'menu-open', 'menu open', 375);
  } finally {
    await page.close();
  }
});

// ---------------------------------------------------------------------------------------------
// The tips filters on a phone: collapsed behind a button, the count right below it

for (const [ctx, label] of [[js, 'JS'], [nojs, 'no JS']]) {
  await check(`[tips filter, ${label}] at 375 px: the filters start collapsed, the count is shown right below their button, and the button opens them by keyboard`, async () => {
    const page = await openAt(ctx, '/tips/', 375);
    try {
      if (label === 'JS') await page.locator('form[data-tips-filter]').waitFor({ state: 'attached' });
      const state = () => page.evaluate(() => {
        const panel = document.querySelector('details[data-filter-panel]');
        const button = panel && panel.querySelector('summary');
        const status = document.querySelector('[data-tips-status]');
        const shown = (el) => !!el && (el.checkVisibility ? el.checkVisibility({ visibilityProperty: true }) : el.getClientRects().length > 0);
        const form = document.querySelector('form[data-tips-filter]');
        const firstControl = panel && [...panel.querySelectorAll('input, select, a[href]')].find(shown);
        const b = button && button.getBoundingClientRect();
        const st = status && status.getBoundingClientRect();
        return {
          panel: !!panel,
          open: !!(panel && panel.open),
          button: shown(button),
          onButton: !!button && document.activeElement === button,
          controlsShown: panel ? [...panel.querySelectorAll('input, select, a[href]')].filter(shown).length : 0,
          formShown: shown(form),
          status: shown(status) ? status.textContent.trim() : null,
          gap: b && st ? Math.round(st.top - b.bottom) : null,
          focusInPanel: !!panel && panel.contains(document.activeElement) && document.activeElement !== button,
          firstControl: firstControl ? firstControl.tagName.toLowerCase() + (firstControl.id ? '#' + firstControl.id : '') : null,
        };
      });
      let st = await state();
      const problems = [];
      if (!st.panel) problems.push('no details[data-filter-panel] on /tips/');
      if (st.open || !st.button || st.controlsShown) problems.push(`the filters are not collapsed at 375 px: ${JSON.stringify(st)}`);
      if (!st.status || !/\d/.test(st.status)) problems.push(`the count [data-tips-status] is not shown: ${JSON.stringify(st.status)}`);
      else if (st.gap === null || st.gap < 0 || st.gap > 120) problems.push(`the count is ${st.gap} px below the filters' button (expected right below it, within 120 px)`);
      assert(problems.length === 0, problems.join('\n'));
      const collapsed = st;
      await page.screenshot({ path: path.join(ART, `tips-filter-collapsed-375${label === 'JS' ? '' : '-nojs'}.png`) });
      for (let i = 0; i < 40 && !(await state()).onButton; i++) await page.keyboard.press('Tab');
      st = await state();
      assert(st.onButton, 'Tab never reached the filters\' button');
      await page.keyboard.press('Enter');
      st = await state();
      assert(st.open && st.controlsShown > 0, `Enter on the button did not open the filters: ${JSON.stringify(st)}`);
      if (label === 'JS') assert(st.formShown, 'the search form is not shown in the opened filters');
      await page.keyboard.press('Tab');
      st = await state();
      assert(st.focusInPanel, 'the Tab after opening did not go into the filters');
      return `count «${collapsed.status}», ${collapsed.gap} px below the closed button; first control when open ${st.firstControl}`;
    } finally {
      await page.close();
    }
  });
}

await check('[tips filter, JS] at 1280 px: the filters are shown beside the list without a button', async () => {
  const page = await openAt(js, '/tips/', 1280);
  try {
    await page.locator('form[data-tips-filter]').waitFor({ state: 'visible', timeout: WAIT_MS });
    const r = await page.evaluate(() => {
      const b = document.querySelector('details[data-filter-panel] summary');
      return { button: !!b && b.checkVisibility() };
    });
    assert(!r.button, 'the filters\' button is shown at 1280 px');
  } finally {
    await page.close();
  }
});

// ---------------------------------------------------------------------------------------------
// Heading anchors and prev/next

await check('[anchors] the «#» after a heading is hidden until the heading is pointed at, and out of the Tab order', async () => {
  const page = await openAt(js, MENU_PAGE, 1280);
  try {
    const sel = 'main h2:has(> .heading-anchor)';
    assert(await page.locator(sel).count(), `no ${sel} on ${MENU_PAGE}`);
    const vis = () => page.locator(`${sel} >> nth=0`).evaluate((h) => {
      const a = h.querySelector('.heading-anchor');
      return { visibility: getComputedStyle(a).visibility, tabindex: a.getAttribute('tabindex') };
    });
    const before = await vis();
    await page.locator(`${sel} >> nth=0`).hover();
    const after = await vis();
    assert(before.visibility === 'hidden', `visible before hover: ${JSON.stringify(before)}`);
    assert(after.visibility === 'visible', `not visible on hover: ${JSON.stringify(after)}`);
    assert(before.tabindex === '-1', `tabindex ${before.tabindex}, expected -1`);
  } finally {
    await page.close();
  }
});

await check('[prev/next] none on a standalone page (about); present on a story, within its series', async () => {
  const about = await openAt(nojs, MENU_PAGE, 1280);
  const story = discovered.story ? await openAt(nojs, discovered.story, 1280) : null;
  try {
    const a = await about.locator('nav.prev-next, a[rel="prev"], a[rel="next"]').count();
    assert(a === 0, `${MENU_PAGE} has ${a} prev/next links`);
    assert(story, 'no story discovered');
    const s = await story.locator('nav.prev-next a[href]').count();
    assert(s > 0, `${discovered.story} has no prev/next links`);
  } finally {
    await about.close();
    if (story) await story.close();
  }
});

// ---------------------------------------------------------------------------------------------
// axe on every page of the site (the built folder's HTML files), at 1280 px

async function sitePages() {
  const dir = process.env.SITE_DIR;
  if (!dir) return null;
  const out = [];
  const walk = async (d, rel) => {
    for (const e of await fs.readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(path.join(d, e.name), `${rel}${e.name}/`);
      else if (e.name === 'index.html' || (rel === '/' && e.name === '404.html')) {
        const html = await fs.readFile(path.join(d, e.name), 'utf8');
        if (/http-equiv="refresh"/i.test(html)) continue; // redirects (aliases)
        out.push(e.name === 'index.html' ? rel : `/${e.name}`);
      }
    }
  };
  await walk(dir, '/');
  return out.sort();
}

{
  const all = await sitePages();
  await check(`[every page] axe (${AXE_LABEL}) at 1280 px: no violations on any page of the site`, async () => {
    assert(all && all.length, 'SITE_DIR is not set or has no pages');
    const page = await js.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    const failing = [];
    let rules = 0;
    try {
      for (const p of all) {
        await page.goto(url(p), { waitUntil: 'load' });
        await injectAxe(page);
        const r = await withTimeout(page.evaluate(async (tags) => {
          // eslint-disable-next-line no-undef
          const res = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
          return { passes: res.passes.length, violations: res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })) };
        }, AXE_TAGS), 60000, `axe.run on ${p}`);
        rules = Math.max(rules, r.passes);
        for (const v of r.violations) axeFindings.push({ page: p, width: 1280, id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' >> ')) });
        if (r.violations.length) failing.push(`${p}:\n${indent(formatViolations(r.violations), '    ')}`);
      }
    } finally {
      await page.close();
    }
    await fs.writeFile(path.join(ART, 'axe-every-page.json'), JSON.stringify({ tags: AXE_TAGS, pages: all, failing: failing.length }, null, 2));
    assert(failing.length === 0, () => `${failing.length} of ${all.length} pages have violations:\n${failing.slice(0, 10).join('\n')}`);
    return `${all.length} pages, up to ${rules} rules passed on a page`;
  });
}

// ---------------------------------------------------------------------------------------------
// Lighthouse: accessibility, best practices and SEO at 100 on one page of every type, in
// Debian's Chromium (chrome-launcher with CHROME_PATH; no browser is downloaded).

const LIGHTHOUSE_PAGES = [
  ['home', '/'],
  ['section', '/historier/'],
  ['story', discovered.story],
  ['testimonial', discovered.testimonial],
  ['tip', discovered.tip],
  ['tips archive', '/tips/'],
  ['focus-area page', discovered.focusArea],
  ['page (about)', MENU_PAGE],
  ['taxonomy list', '/fokusomrade/'],
  ['taxonomy term', discovered.term],
  // The 404 page's own address: served at a missing address it has status 404, which
  // Lighthouse's SEO audit «Page has successful HTTP status code» rightly fails.
  ['404 page', '/404.html'],
];
const LH_CATEGORIES = ['accessibility', 'best-practices', 'seo'];

if (!skipped('[lighthouse]')) {
  let lighthouse;
  let launcher;
  const loaded = await check('[lighthouse] load lighthouse and chrome-launcher', async () => {
    lighthouse = (await import('lighthouse')).default;
    launcher = await import('chrome-launcher');
    return `lighthouse ${JSON.parse(await fs.readFile(new URL('./node_modules/lighthouse/package.json', import.meta.url), 'utf8')).version}`;
  });
  let chrome = null;
  if (loaded) {
    await check('[lighthouse] launch Chromium', async () => {
      chrome = await launcher.launch({
        chromePath: process.env.CHROME_PATH || CHROMIUM,
        chromeFlags: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
        logLevel: 'silent',
      });
    });
  }
  const summary = [];
  if (chrome) {
    try {
      for (const [label, p] of LIGHTHOUSE_PAGES) {
        await check(`[lighthouse ${label} ${p}] accessibility, best practices and SEO at 100`, async () => {
          assert(p, 'no URL found for this page type (see "discover pages")');
          const t0 = Date.now();
          const r = await withTimeout(lighthouse(url(p), { port: chrome.port, onlyCategories: LH_CATEGORIES, output: 'json', logLevel: 'error' }), 120000, 'lighthouse');
          const lhr = r.lhr;
          assert(!lhr.runtimeError, () => `runtime error: ${JSON.stringify(lhr.runtimeError)}`);
          const scores = Object.fromEntries(LH_CATEGORIES.map((c) => [c, lhr.categories[c] && lhr.categories[c].score !== null ? Math.round(lhr.categories[c].score * 100) : null]));
          const failed = [];
          for (const c of LH_CATEGORIES) {
            for (const ref of (lhr.categories[c] && lhr.categories[c].auditRefs) || []) {
              const a = lhr.audits[ref.id];
              if (ref.weight > 0 && a && a.score !== null && a.score < 1) {
                const items = a.details && Array.isArray(a.details.items) ? a.details.items.slice(0, 4).map((x) => JSON.stringify(x.node ? x.node.snippet || x.node.selector : x).slice(0, 200)) : [];
                failed.push(`${c}: ${a.id} (${a.score}) ${a.title}${items.length ? `\n      ${items.join('\n      ')}` : ''}`);
              }
            }
          }
          summary.push({ type: label, path: p, scores, failed, seconds: (Date.now() - t0) / 1000 });
          const low = LH_CATEGORIES.filter((c) => scores[c] !== 100);
          assert(low.length === 0, () => `scores ${JSON.stringify(scores)}; audits that failed:\n  ${failed.join('\n  ')}`);
          return `${LH_CATEGORIES.map((c) => `${c} ${scores[c]}`).join(', ')} in ${((Date.now() - t0) / 1000).toFixed(1)} s`;
        });
      }
    } finally {
      await chrome.kill();
      await fs.writeFile(path.join(ART, 'lighthouse.json'), JSON.stringify(summary, null, 2));
    }
  }
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
