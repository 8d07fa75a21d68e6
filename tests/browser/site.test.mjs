// SPDX-License-Identifier: MIT
// The site in a real browser: a reader in Arabic and Russian, and a
// journalist and an editor taking an item from draft to published.
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
const dirs = [];
const contexts = [];
let failures = 0;

// A fresh profile per person: --user-data-dir through playwright.
async function person(opts) {
  const dir = mkdtempSync(join(tmpdir(), 'mb-chromium-'));
  dirs.push(dir);
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true, args: ARGS, viewport: { width: 420, height: 900 },
    ...opts,
  });
  contexts.push(ctx);
  const page = ctx.pages()[0] || await ctx.newPage();
  // Nothing a reader sees may open a dialog (a sanitizer failure would).
  page.on('dialog', (d) => { failures++; console.log('DIALOG:', d.message()); d.dismiss(); });
  page.on('pageerror', (e) => { failures++; console.log('PAGE ERROR:', e.message); });
  return page;
}

async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, name + '.png'), fullPage: true });
}

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

const dir = async (page) => page.evaluate(
  () => getComputedStyle(document.documentElement).direction);

// ---- A reader: Arabic front page, an item, its Russian translation, search.
const reader = await person({ locale: 'ar-EG' });
let itemURL = '';

await step('reader: / goes to the Arabic front page, laid out right to left', async () => {
  await reader.goto(BASE + '/');
  assert.match(reader.url(), /\/ar\/$/);
  assert.equal(await reader.getAttribute('html', 'lang'), 'ar');
  assert.equal(await dir(reader), 'rtl');
  // The search box's label sits at the right in RTL: logical properties.
  const brand = await reader.locator('.brand').boundingBox();
  assert.ok(brand.x > 100, 'the brand starts at the right: x=' + brand.x);
  assert.equal(await reader.locator('main h1').textContent(), 'آخر الأخبار');
  await shot(reader, '01-ar-front');
});

await step('reader: follows an item; the hostile body runs nothing', async () => {
  await reader.getByRole('link', { name: 'وزراء المياه يتفقون على خطة مشتركة لحوض النيل' }).click();
  await reader.waitForURL(/\/ar\/items\/cairo\//);
  itemURL = reader.url();
  assert.equal(await reader.locator('article.item').getAttribute('dir'), 'rtl');
  assert.equal(await reader.locator('article.item script').count(), 0);
  assert.equal(await reader.locator('[onerror]').count(), 0);
  const srcset = await reader.locator('figure img').getAttribute('srcset');
  assert.match(srcset, /320w.*1024w/);
  assert.doesNotMatch(srcset, /javascript/);
  assert.match(await reader.locator('time').first().textContent(), /نوفمبر 2026/);
  await shot(reader, '02-ar-item');
});

await step('reader: switches to the Russian translation ("also in")', async () => {
  await reader.locator('nav.also').getByRole('link', { name: 'Русский' }).click();
  await reader.waitForURL(/01jsite0ru/);
  const art = reader.locator('article.item');
  assert.equal(await art.getAttribute('lang'), 'ru');
  assert.equal(await art.evaluate((e) => getComputedStyle(e).direction), 'ltr');
  assert.match(await reader.locator('h1').textContent(), /Министры/);
  // Its own "also in" links back to the Arabic original.
  assert.equal(await reader.locator('nav.also a[lang=ar]').count(), 1);
  await shot(reader, '03-ru-translation');
});

await step('reader: the language switcher is remembered without JavaScript', async () => {
  await reader.locator('nav.langs').getByRole('link', { name: 'Русский' }).click();
  await reader.waitForURL(/\/ru\/items\//);
  assert.equal(await dir(reader), 'ltr');
  assert.equal(await reader.getAttribute('html', 'lang'), 'ru');
  await reader.goto(BASE + '/');
  assert.match(reader.url(), /\/ru\/$/, 'the cookie wins over Accept-Language');
  await shot(reader, '04-ru-front');
});

await step('reader: searches in Russian and finds the translation', async () => {
  await reader.getByLabel('Поиск').fill('план');
  await reader.getByLabel('Поиск').press('Enter');
  await reader.waitForURL(/\/ru\/search\?q=/);
  assert.match(await reader.locator('[role=status]').textContent(), /1 результат/);
  assert.ok(await reader.locator('mark').count() >= 1);
  await reader.locator('ol.cards a').first().click();
  await reader.waitForURL(/01jsite0ru/);
  await reader.goBack();
  await shot(reader, '05-ru-search');
});

await step('reader: a clear 404', async () => {
  const r = await reader.goto(BASE + '/ar/no/such/page');
  assert.equal(r.status(), 404);
  assert.equal(await reader.locator('h1').textContent(), 'الصفحة غير موجودة');
  await shot(reader, '06-ar-404');
});

// Accessibility: axe-core (npm, pinned) on each page type, WCAG 2 A/AA,
// contrast included; any violation fails.
async function axe(page, what) {
  await page.addScriptTag({ path: join(process.cwd(), 'node_modules/axe-core/axe.min.js') });
  // Item bodies are the writers' HTML (through the sanitizer): an image
  // a writer left without alt is the content's fault, not the site's.
  const res = await page.evaluate(async () => await window.axe.run({ exclude: [['.body']] },
    { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  const v = res.violations.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(v, [], `${what}: accessibility violations`);
}

await step('accessibility: front, item, search, 404, newsroom pass axe (WCAG 2.1 AA)', async () => {
  const a = await person({ locale: 'ar', bypassCSP: true });
  for (const path of ['/ar/', '/ar/items/cairo/01jsite0ar000000000000000a',
    '/ru/items/cairo/01jsite0ru000000000000000b', '/en/search?q=water',
    '/fr/events', '/ar/nope', '/newsroom/']) {
    await a.goto(BASE + path);
    await axe(a, path);
  }
});

// Reading needs no JavaScript at all.
await step('reader without JavaScript: pages read the same', async () => {
  const nojs = await person({ locale: 'en', javaScriptEnabled: false });
  await nojs.goto(BASE + '/');
  assert.match(nojs.url(), /\/en\/$/);
  await nojs.getByRole('link', { name: /Digital literacy/ }).click();
  await nojs.waitForURL(/\/en\/items\//);
  assert.match(await nojs.locator('h1').textContent(), /Digital literacy/);
  await nojs.getByLabel('Search').fill('water');
  await nojs.getByLabel('Search').press('Enter');
  await nojs.waitForURL(/\/en\/search/);
  assert.ok(await nojs.locator('ol.cards li').count() >= 1);
  await shot(nojs, '07-en-nojs-search');
});

// ---- The newsroom: a journalist writes, an editor publishes.
const headline = 'Young reporters from 12 countries start a verification course ' + Date.now();

await step('journalist: signs in, writes, previews, saves, submits', async () => {
  const jo = await person({ locale: 'en' });
  await jo.goto(BASE + '/newsroom/');
  await jo.getByLabel('Password').fill('wrong-password');
  await jo.getByLabel('User name').fill('jo');
  await jo.getByRole('button', { name: 'Sign in' }).click();
  assert.equal(await jo.locator('#err-password').textContent(), 'Wrong user name or password.');
  assert.equal(await jo.getByLabel('Password').getAttribute('aria-invalid'), 'true');
  await shot(jo, '10-newsroom-login-error');
  await jo.getByLabel('Password').fill('journo-pass-1');
  await jo.getByRole('button', { name: 'Sign in' }).click();
  await jo.getByRole('link', { name: 'New item' }).first().click();
  // A blank headline: the error stands next to the field.
  await jo.getByLabel('Headline').fill('   ');
  await jo.getByLabel(/^Text/).fill('Thirty young professionals.');
  await jo.getByRole('button', { name: 'Save' }).click();
  assert.equal(await jo.locator('#err-headline').textContent(), 'Fill this in.');
  await shot(jo, '11-newsroom-field-error');
  await jo.getByLabel('Headline').fill(headline);
  await jo.getByLabel('Language', { exact: true }).selectOption('en');
  // Plain text (Markdown, the default): no HTML typed; typed HTML stays text.
  assert.equal(await jo.getByLabel('Plain text (Markdown)').isChecked(), true);
  await jo.getByLabel(/^Text/).fill('Thirty **young professionals** learn to verify pictures.\n## How\n- look\n- check\n<script>alert(1)</script>');
  await jo.getByRole('button', { name: 'Preview' }).click();
  assert.match(await jo.locator('.preview strong').textContent(), /young professionals/);
  assert.equal(await jo.locator('.preview script').count(), 0);
  assert.equal(await jo.locator('.preview .body h2').textContent(), 'How');
  assert.equal(await jo.locator('.preview .body li').count(), 2);
  await shot(jo, '12-newsroom-preview');
  await jo.getByRole('button', { name: 'Save' }).click();
  await jo.waitForURL(/done=saved/);
  assert.equal(await jo.locator('.meta .st').textContent(), 'draft');
  await jo.getByRole('button', { name: 'Submit for review' }).click();
  await jo.waitForURL(/done=submit/);
  assert.equal(await jo.locator('.meta .st').textContent(), 'submitted');
  // A journalist cannot publish: there is no such button.
  assert.equal(await jo.getByRole('button', { name: 'Publish' }).count(), 0);
  await shot(jo, '13-newsroom-submitted');
});

await step('editor: finds it in the review queue and publishes it', async () => {
  const ed = await person({ locale: 'en' });
  await ed.goto(BASE + '/newsroom/');
  await ed.getByLabel('User name').fill('ed');
  await ed.getByLabel('Password').fill('editor-pass-1');
  await ed.getByRole('button', { name: 'Sign in' }).click();
  const queue = ed.locator('section[aria-labelledby=s-queue]');
  await queue.getByRole('link', { name: headline }).click();
  await ed.getByRole('button', { name: 'Publish' }).click();
  await ed.waitForURL(/done=publish/);
  assert.equal(await ed.locator('.meta .st').textContent(), 'published');
  await shot(ed, '14-newsroom-published');
});

await step('reader: sees the published item', async () => {
  const r2 = await person({ locale: 'en' });
  await r2.goto(BASE + '/en/');
  await r2.getByRole('link', { name: headline }).click();
  assert.match(await r2.locator('.item .body').textContent(), /young professionals/);
  assert.equal(await r2.locator('.item .body script').count(), 0);
  await shot(r2, '15-en-published-item');
});

for (const c of contexts) await c.close();
for (const d of dirs) rmSync(d, { recursive: true, force: true });
console.log(failures === 0 ? 'browser: all passed' : `browser: ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
