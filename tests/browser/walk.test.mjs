// SPDX-License-Identifier: MIT
// Issue 15's "done when", in real Chromium with no HTML typed and no
// command line: a journalist on a phone writes an item and illustrates
// it, an editor at a desktop sends it back with a note, the journalist
// mends it and submits again, the editor publishes it, a translator on a
// phone translates it (its picture's caption too), and an admin makes a password-reset link that the
// journalist uses. Every newsroom and site page it meets stays under
// 50 KB before images. Screenshots: artifacts/walk-*.png.
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
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const dirs = [];
const contexts = [];
const sizes = [];
let failures = 0;
let stop = false;

async function person(viewport) {
  const dir = mkdtempSync(join(tmpdir(), 'mb-chromium-'));
  dirs.push(dir);
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true, args: ARGS, viewport, locale: 'en',
  });
  contexts.push(ctx);
  const page = ctx.pages()[0] || await ctx.newPage();
  page.on('dialog', (d) => { failures++; console.log('DIALOG:', d.message()); d.dismiss(); });
  page.on('pageerror', (e) => { failures++; console.log('PAGE ERROR:', e.message); });
  // Each HTML page's size as sent (before images, styles, scripts).
  page.on('response', async (r) => {
    if ((r.headers()['content-type'] || '').startsWith('text/html') && r.status() < 300) {
      try { sizes.push({ url: r.url(), bytes: (await r.body()).length }); } catch { /* redirected */ }
    }
  });
  return page;
}

async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, 'walk-' + name + '.png'), fullPage: true });
}

// Each step needs the ones before: after a failure the rest are skipped.
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

async function signIn(page, name, password) {
  await page.goto(BASE + '/newsroom/');
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/newsroom\/$/);
}

// A 400 x 300 PNG made here: a picture to upload without a file on disk.
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

const headline = 'Farmers share water along the Nile';
let editURL = '';

const jo = await person(PHONE);
await step('journalist (phone): writes the item in plain text', async () => {
  await signIn(jo, 'jo', 'journo-pass-1');
  await jo.locator('main').getByRole('link', { name: 'New item' }).click();
  await jo.getByLabel('Headline').fill(headline);
  await jo.getByLabel(/^Text/).fill('Farmers in three villages agreed to share **water**.\n## What they agreed\n- a rota\n- a committee');
  await jo.getByRole('button', { name: 'Save' }).click();
  await jo.waitForURL(/\/newsroom\/items\/cairo\/[^?]+\?done=saved/);
  editURL = jo.url().split('?')[0];
  await shot(jo, '01-journalist-saved');
});

await step('journalist (phone): adds a picture with its caption and credit', async () => {
  await jo.locator('#pic-file').setInputFiles({ name: 'canal.png', mimeType: 'image/png', buffer: png(400, 300) });
  await jo.getByLabel('Caption').fill('Farmers at the canal gate');
  await jo.getByLabel('Credit').fill('Photo: N. Adel');
  await jo.getByRole('button', { name: 'Add to the item' }).click();
  await jo.waitForURL(/done=picture/);
  assert.equal(await jo.locator('ul.pictures li').count(), 1);
  assert.match(await jo.locator('ul.pictures li').textContent(), /Farmers at the canal gate/);
  await jo.getByRole('button', { name: 'Submit for review' }).click();
  await jo.waitForURL(/done=submit/);
  await shot(jo, '02-journalist-submitted');
});

const ed = await person(DESKTOP);
await step('editor (desktop): sends it back with a note', async () => {
  await signIn(ed, 'ed', 'editor-pass-1');
  await ed.locator('section[aria-labelledby=s-queue]').getByRole('link', { name: headline }).click();
  await ed.getByLabel('Note to the writer').fill('Name the three villages, please.');
  await ed.getByRole('button', { name: 'Send back to the writer' }).click();
  await ed.waitForURL(/done=return/);
  await shot(ed, '03-editor-sent-back');
});

await step('journalist (phone): reads the note, mends the text, submits again', async () => {
  await jo.goto(editURL);
  assert.match(await jo.locator('p.note[role=note]').textContent(), /Name the three villages/);
  const text = jo.getByLabel(/^Text/);
  await text.fill((await text.inputValue()) + '\nThe villages are Kafr, Mit and Ezbet.');
  await jo.getByRole('button', { name: 'Save' }).click();
  await jo.waitForURL(/done=saved/);
  await jo.getByRole('button', { name: 'Submit for review' }).click();
  await jo.waitForURL(/done=submit/);
  assert.equal(await jo.locator('p.note[role=note]').count(), 0);
  await shot(jo, '04-journalist-resubmitted');
});

await step('editor (desktop): compares the versions and publishes', async () => {
  await ed.goto(editURL + '/versions');
  // From the version it had when the picture came, to today's.
  await ed.locator('input[name=from][value="2"]').check();
  await ed.getByRole('button', { name: 'Compare versions' }).click();
  await ed.waitForURL(/\/diff\?.*from=2/);
  assert.match(await ed.locator('.vdiff ins').last().textContent(), /Kafr, Mit and Ezbet/);
  await shot(ed, '05-editor-versions');
  await ed.goto(editURL);
  await ed.getByRole('button', { name: 'Publish' }).click();
  await ed.waitForURL(/done=publish/);
  await shot(ed, '06-editor-published');
});

await step('reader (phone): the item with its picture, caption and credit', async () => {
  const rd = await person(PHONE);
  await rd.goto(BASE + '/en/');
  await rd.getByRole('link', { name: headline }).click();
  assert.match(await rd.locator('.item figcaption').first().textContent(), /Farmers at the canal gate.*N\. Adel/s);
  assert.equal(await rd.locator('.item figure img').first().getAttribute('alt'), 'Farmers at the canal gate');
  await shot(rd, '07-reader-item');
});

const tr = await person(PHONE);
await step('translator (phone): translates it, the form showing the original', async () => {
  await signIn(tr, 'tr', 'translator-pass-1');
  await tr.goto(editURL);
  await tr.getByRole('link', { name: 'Write a translation of this item' }).click();
  await tr.waitForURL(/\/newsroom\/new\?of=/);
  assert.match(await tr.locator('details.original').textContent(), /share water/);
  assert.equal(await tr.locator('#language').inputValue(), 'ar', 'a language the item lacks');
  await tr.getByLabel('Headline').fill('المزارعون يتقاسمون المياه على طول النيل');
  await tr.getByLabel(/^Text/).fill('اتفق المزارعون في ثلاث قرى على تقاسم **المياه**.');
  assert.equal(await tr.getByLabel('Headline').evaluate((e) => getComputedStyle(e).direction), 'rtl');
  // The picture comes along: its caption to translate, the original's beside.
  assert.match(await tr.locator('#pictext .pt-orig').textContent(), /Farmers at the canal gate/);
  assert.equal(await tr.getByLabel('Caption').inputValue(), 'Farmers at the canal gate');
  await tr.getByLabel('Caption').fill('مزارعون عند بوابة القناة');
  await tr.getByRole('button', { name: 'Save' }).click();
  await tr.waitForURL(/done=saved/);
  assert.equal(await tr.locator('#pictext input[name="pcap.picture-1"]').inputValue(), 'مزارعون عند بوابة القناة');
  await shot(tr, '08-translator-saved');
});

const ad = await person(DESKTOP);
let resetURL = '';
await step('admin (desktop): makes a password-reset link for the journalist', async () => {
  await signIn(ad, 'ad', 'admin-pass-1');
  await ad.goto(BASE + '/newsroom/people');
  await ad.locator('#user-jo').getByRole('button', { name: 'Reset link' }).click();
  resetURL = await ad.locator('input.secret').inputValue();
  assert.match(resetURL, /\/newsroom\/reset\?/);
  await shot(ad, '09-admin-reset-link');
});

await step('journalist (phone): sets a new password with the link and signs in', async () => {
  const j2 = await person(PHONE);
  // The link names the center's public address; the test's server
  // listens elsewhere, so the same path and key on it.
  const u = new URL(resetURL, BASE);
  await j2.goto(BASE + u.pathname + u.search);
  await shot(j2, '10-journalist-reset-form');
  await j2.locator('#password').fill('new-journo-pass-2');
  await j2.locator('#password2').fill('new-journo-pass-2');
  await j2.getByRole('button', { name: 'Set password' }).click();
  await shot(j2, '11-journalist-new-password');
  assert.match(await j2.locator('main').textContent(), /Your password was changed/);
  // Signed in by the link; out, and in again with the new password.
  await j2.getByRole('button', { name: 'Sign out' }).click();
  await signIn(j2, 'jo', 'new-journo-pass-2');
  await shot(j2, '12-journalist-signed-in');
});

await step('every page under 50 KB before images', async () => {
  assert.ok(sizes.length >= 15, `pages measured: ${sizes.length}`);
  for (const s of sizes)
    assert.ok(s.bytes < 50 * 1024, `${s.url}: ${s.bytes} bytes`);
  console.log(`     ${sizes.length} pages, largest ${Math.max(...sizes.map((s) => s.bytes))} bytes`);
});

for (const c of contexts) await c.close();
for (const d of dirs) rmSync(d, { recursive: true, force: true });
console.log(failures === 0 ? 'walk: all passed' : `walk: ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
