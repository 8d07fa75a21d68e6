// SPDX-License-Identifier: MIT
// Issue 15, point 2, in real Chromium: a journalist drops a picture on the
// editor (a DataTransfer made in the page, as a file dragged from the
// desktop gives), sees it land in the item, is told in the interface's
// language when a drop is not media or lacks its caption, drops one on the
// text to place it there, clicks a picture to set its focal point, and
// chooses a picture from the center's media for another item. Without
// JavaScript the same page keeps its file field and number fields. Pages
// stay under 50 KB before images. Screenshots: artifacts/media-*.png.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

const BASE = process.env.BASE;
const SHOTS = process.env.ARTIFACTS;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];
const dirs = [];
const contexts = [];
const sizes = [];
let failures = 0;
let stop = false;

async function person(viewport, opts = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mb-chromium-'));
  dirs.push(dir);
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true, args: ARGS, viewport, locale: 'en', ...opts,
  });
  contexts.push(ctx);
  const page = ctx.pages()[0] || await ctx.newPage();
  page.on('pageerror', (e) => { failures++; console.log('PAGE ERROR:', e.message); });
  page.on('console', (m) => { if (m.type() === 'error') console.log('CONSOLE:', m.text()); });
  page.on('response', async (r) => {
    if ((r.headers()['content-type'] || '').startsWith('text/html') && r.status() < 300) {
      try { sizes.push({ url: r.url(), bytes: (await r.body()).length }); } catch { /* redirected */ }
    }
  });
  return page;
}

async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, 'media-' + name + '.png'), fullPage: true });
}

async function step(name, fn) {
  if (stop) {
    console.log(`skip ${name}`);
    return;
  }
  const t0 = Date.now();
  try {
    await fn();
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failures++;
    stop = true;
    console.log(`FAIL ${name}: ${e.stack || e}`);
  }
}

function png(w, h) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4); c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const rows = [];
  for (let y = 0; y < h; y++) {
    const row = Buffer.alloc(1 + w * 3);
    for (let x = 0; x < w; x++) row.set([x * 255 / w, y * 255 / h, 128], 1 + x * 3);
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

// Drops a file on the element matching selector, as the desktop does:
// dragenter, dragover and drop carrying a DataTransfer with the file.
async function drop(page, selector, name, type, bytes) {
  await page.evaluate(([sel, n, t, b64]) => {
    const bin = atob(b64);
    const buf = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) buf[i] = bin.charCodeAt(i);
    const dt = new DataTransfer();
    dt.items.add(new File([buf], n, { type: t }));
    const el = document.querySelector(sel);
    for (const ev of ['dragenter', 'dragover', 'drop'])
      el.dispatchEvent(new DragEvent(ev, { bubbles: true, cancelable: true, dataTransfer: dt }));
  }, [selector, name, type, Buffer.from(bytes).toString('base64')]);
}

async function signIn(page, name, password) {
  await page.goto(BASE + '/newsroom/');
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/newsroom\/$/);
}

async function newItem(page, headline) {
  await page.goto(BASE + '/newsroom/new');
  await page.getByLabel('Headline').fill(headline);
  await page.getByLabel(/^Text/).fill('Boats came back to the harbour.');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(/\/newsroom\/items\/cairo\/[^?]+\?done=saved/);
  return page.url().split('?')[0];
}

let editURL = '';
const jo = await person({ width: 1280, height: 900 });

await step('a dropped picture is uploaded, with progress, and lands in the item', async () => {
  await signIn(jo, 'jo', 'journo-pass-1');
  editURL = await newItem(jo, 'Fishing boats return');
  assert.match(await jo.locator('.drop').textContent(), /Drop a picture/);
  await jo.getByLabel('Caption').fill('Boats at the harbour wall');
  await jo.getByLabel('Credit').fill('Photo: S. Nour');
  // What the status line said on the way: progress, then done.
  // (kept in sessionStorage: the page is loaded again after the upload).
  await jo.evaluate(() => {
    const st = document.getElementById('pic-status');
    new MutationObserver(() => sessionStorage.setItem('said',
      (sessionStorage.getItem('said') || '') + '|' + st.textContent))
      .observe(st, { childList: true, characterData: true, subtree: true });
  });
  await Promise.all([jo.waitForURL(/done=picture/), drop(jo, '.drop', 'boats.png', 'image/png', png(800, 400))]);
  assert.equal(await jo.locator('ul.pictures > li').count(), 1);
  assert.match(await jo.locator('ul.pictures > li').first().textContent(), /Boats at the harbour wall/);
  assert.match(await jo.locator('ul.pictures > li').first().textContent(), /Main picture/);
  const said = await jo.evaluate(() => sessionStorage.getItem('said'));
  assert.match(said, /\|Uploading… \d+ %.*\|Added\. Opening the item again…/, said);
  await shot(jo, '01-dropped');
});

await step('a drop that is not media, or lacks its caption, is explained', async () => {
  await drop(jo, '.drop', 'notes.txt', 'text/plain', Buffer.from('just text'));
  assert.equal(await jo.locator('#pic-status').textContent(),
    'Only a picture, a video or a sound file can be added here.');
  assert.equal(await jo.locator('ul.pictures > li').count(), 1);
  // Larger than the center takes (max_body, 8 MiB): said before sending.
  await jo.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(9 << 20)], 'huge.png', { type: 'image/png' }));
    const el = document.querySelector('.drop');
    for (const ev of ['dragenter', 'dragover', 'drop'])
      el.dispatchEvent(new DragEvent(ev, { bubbles: true, cancelable: true, dataTransfer: dt }));
  });
  assert.equal(await jo.locator('#pic-status').textContent(),
    'This file is too large for this center; the most it takes in one file is 8 MB');
  assert.equal(await jo.locator('ul.pictures > li').count(), 1);
  // Dropped on the text itself: placed in the text, once it has a caption.
  await drop(jo, '#body', 'net.png', 'image/png', png(500, 500));
  assert.equal(await jo.locator('#pic-status').textContent(),
    'Write a caption, then press “Add to the item”.');
  assert.equal(await jo.evaluate(() => document.activeElement.id), 'pic-caption');
  assert.ok(await jo.locator('input[name=place][value=text]').isChecked());
  await shot(jo, '02-needs-caption');
  await jo.getByLabel('Caption').fill('Mending the nets');
  // The address already says done=picture: wait for the page itself.
  await Promise.all([jo.waitForNavigation(),
    jo.getByRole('button', { name: 'Add to the item' }).click()]);
  assert.equal(await jo.locator('ul.pictures > li').count(), 2);
  assert.match(await jo.locator('ul.pictures > li').nth(1).textContent(), /Mending the nets[\s\S]*In the text/);
  assert.match(await jo.locator('#body').inputValue(), /!\[Mending the nets\]\(\/media\/[0-9a-f]{64}\)/);
});

await step('a click on the picture sets its focal point', async () => {
  const li = jo.locator('ul.pictures > li').first();
  const img = li.locator('img.fprev');
  const box = await img.boundingBox();
  await img.click({ position: { x: box.width * 0.25, y: box.height * 0.75 } });
  assert.equal(await li.locator('input[name=focus_x]').inputValue(), '0.25');
  assert.equal(await li.locator('input[name=focus_y]').inputValue(), '0.75');
  assert.ok(await li.locator('.fmark').isVisible());
  await shot(jo, '03-focal-point');
  await Promise.all([jo.waitForURL(/done=focus/),
    li.getByRole('button', { name: 'Set the focal point' }).click()]);
  assert.match(await jo.locator('.flash').textContent(), /Focal point saved/);
  const again = jo.locator('ul.pictures > li').first();
  assert.equal(await again.locator('input[name=focus_x]').inputValue(), '0.25');
  assert.equal(await again.locator('input[name=focus_y]').inputValue(), '0.75');
  // Out of range by hand: refused, said why.
  await again.locator('input[name=focus_x]').evaluate((e) => { e.type = 'text'; e.value = '1.5'; });
  await again.getByRole('button', { name: 'Set the focal point' }).click();
  await jo.waitForLoadState();
  assert.match(await jo.locator('[role=alert]').textContent(), /x and y are numbers from 0 to 1/);
});

await step('a picture chosen from the center\'s media, without a new upload', async () => {
  const other = await newItem(jo, 'Harbour fees rise');
  await jo.getByRole('link', { name: 'Choose a picture from the center\'s pictures' }).click();
  await jo.waitForURL(/\/media$/);
  await jo.getByLabel('Search captions').fill('harbour');
  await jo.getByRole('button', { name: 'Search', exact: true }).click();
  await jo.waitForURL(/q=harbour/);
  assert.equal(await jo.locator('ul.picker > li').count(), 1);
  assert.match(await jo.locator('ul.picker img').getAttribute('class'), /pthumb fp13/);
  await shot(jo, '04-picker');
  await Promise.all([jo.waitForURL(/done=picture/),
    jo.getByRole('button', { name: 'Put it in the item' }).click()]);
  assert.equal(jo.url().split('?')[0], other);
  assert.match(await jo.locator('ul.pictures > li').first().textContent(), /Boats at the harbour wall/);
});

await step('without JavaScript: the file field and the number fields', async () => {
  const nojs = await person({ width: 390, height: 844 }, { javaScriptEnabled: false });
  await signIn(nojs, 'jo', 'journo-pass-1');
  await nojs.goto(editURL);
  assert.equal(await nojs.locator('.drop').count(), 0);
  assert.ok(await nojs.locator('#pic-file').isVisible());
  const li = nojs.locator('ul.pictures > li').first();
  await li.locator('input[name=focus_x]').fill('0.5');
  await li.locator('input[name=focus_y]').fill('0.1');
  await Promise.all([nojs.waitForURL(/done=focus/),
    li.getByRole('button', { name: 'Set the focal point' }).click()]);
  assert.equal(await nojs.locator('ul.pictures > li').first().locator('input[name=focus_y]').inputValue(), '0.10');
  await shot(nojs, '05-no-js');
});

await step('every page under 50 KB before images', async () => {
  assert.ok(sizes.length > 8, 'pages seen: ' + sizes.length);
  for (const s of sizes)
    assert.ok(s.bytes < 50 * 1024, `${s.url}: ${s.bytes} bytes`);
  console.log('largest page: ' + Math.max(...sizes.map((s) => s.bytes)) + ' bytes');
});

for (const c of contexts) await c.close();
for (const d of dirs) rmSync(d, { recursive: true, force: true });
console.log(failures ? `${failures} failure(s)` : 'all passed');
process.exit(failures ? 1 : 0);
