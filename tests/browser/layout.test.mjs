// SPDX-License-Identifier: MIT
// No clipped controls from 320 px up: the front page, the search page
// and the newsroom's sign-in in Arabic, Russian and English at 320, 390
// and 1280 px. For each, the boxes of the banner's controls are measured
// and compared: every one inside the viewport, no text cut inside its
// box, the search field and its button side by side without overlap, the
// page no wider than the screen; and Arabic mirrors English (the search
// button on the other side). Screenshots: artifacts/layout-*.png.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BASE = process.env.BASE;
const SHOTS = process.env.ARTIFACTS;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];
let failures = 0;

async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${name}: ${e.stack || e}`);
  }
}

// Every visible control's box, and whether its text is cut.
const measure = () => {
  const out = [];
  const sel = 'header a, header button, header input, header label, main button, main input, main a.button';
  for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    if (r.width === 0 || cs.visibility === 'hidden' || el.closest('.vh') || el.classList.contains('skip'))
      continue;
    out.push({
      what: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ':' + (el.textContent || el.value || '').trim().slice(0, 20),
      x: r.x, y: r.y, w: r.width, h: r.height,
      cut: el.tagName !== 'INPUT' && el.scrollWidth > el.clientWidth + 1 && cs.overflow !== 'visible',
      textw: el.scrollWidth, boxw: el.clientWidth,
    });
  }
  return { boxes: out, vw: window.innerWidth, sw: document.documentElement.scrollWidth };
};

const dir = mkdtempSync(join(tmpdir(), 'mb-chromium-'));
const ctx = await chromium.launchPersistentContext(dir, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true, args: ARGS, viewport: { width: 1280, height: 900 },
});
const page = ctx.pages()[0] || await ctx.newPage();
const searchBox = {};

for (const width of [320, 390, 1280]) {
  for (const lang of ['ar', 'ru', 'en']) {
    for (const [what, path] of [['front', `/${lang}/`], ['search', `/${lang}/search?q=water`], ['login', '/newsroom/']]) {
      await step(`${lang} ${what} at ${width} px: nothing clipped`, async () => {
        await page.setViewportSize({ width, height: 800 });
        await page.context().addCookies([{ name: 'mb_lang', value: lang, url: BASE }]);
        await page.goto(BASE + path);
        const m = await page.evaluate(measure);
        assert.ok(m.sw <= m.vw + 1, `the page is ${m.sw} px wide on a ${m.vw} px screen`);
        for (const b of m.boxes) {
          assert.ok(b.x >= -1 && b.x + b.w <= m.vw + 1, `${b.what} at x=${b.x.toFixed(0)}..${(b.x + b.w).toFixed(0)} leaves the ${m.vw} px screen`);
          assert.ok(!b.cut, `${b.what}: text ${b.textw} px in a ${b.boxw} px box`);
        }
        if (what !== 'login') {
          const q = await page.locator('header #q').boundingBox();
          const btn = await page.locator('header form.search button').boundingBox();
          assert.ok(q.width >= 80, `the search field is ${q.width} px wide`);
          const overlap = !(q.x + q.width <= btn.x + 1 || btn.x + btn.width <= q.x + 1 ||
            q.y + q.height <= btn.y + 1 || btn.y + btn.height <= q.y + 1);
          assert.ok(!overlap, 'the search field and its button overlap');
          searchBox[`${lang}-${width}-${what}`] = { q, btn };
        }
        await page.screenshot({ path: join(SHOTS, `layout-${lang}-${width}-${what}.png`), fullPage: false });
      });
    }
  }
  await step(`at ${width} px: Arabic mirrors English (the button on the other side of the field)`, async () => {
    const ar = searchBox[`ar-${width}-front`], en = searchBox[`en-${width}-front`];
    assert.ok(ar && en, 'both measured');
    if (Math.abs(ar.q.y - ar.btn.y) < 5 && Math.abs(en.q.y - en.btn.y) < 5) {
      assert.ok(en.btn.x > en.q.x, 'English: the button after the field, to the right');
      assert.ok(ar.btn.x < ar.q.x, 'Arabic: the button after the field, to the left');
    }
  });
}

await ctx.close();
rmSync(dir, { recursive: true, force: true });
console.log(failures === 0 ? 'layout: all passed' : `layout: ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
