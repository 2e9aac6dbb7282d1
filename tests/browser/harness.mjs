// Shared set-up for the browser tests: the built page served on a free loopback port, and
// Debian's Chromium driven by playwright-core.
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createStaticServer } from '../../scripts/serve.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// CHARRNN_WEB_ROOT: another built site to test (e.g. an older build, to see a new test fail on it).
export const webRoot = process.env.CHARRNN_WEB_ROOT || path.join(repoRoot, 'build', 'web');

/** Serves build/web on 127.0.0.1 at a free port: { url, close() }. */
export async function startServer(root = webRoot) {
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    throw new Error(`${root}/index.html is missing: run scripts/build.sh wasm web first`);
  }
  const server = createStaticServer(root);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) };
}

/** Headless Debian Chromium with the flags this machine needs; close() also removes its profile. */
export async function launchBrowser() {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'charrnn-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    acceptDownloads: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const close = async () => {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  };
  return { context, close };
}

// Every wait has its own deadline, shorter than a test's timeout (180 s), so a wait that fails says
// what it waited for instead of the test timing out in silence.
export const WAIT = 150000;

/**
 * Waits until predicate(arg) is truthy in the page; fails after `timeout` ms saying what it waited
 * for (`what`, or the predicate's source). Resolves with the predicate's value (a JSHandle).
 */
export async function until(page, predicate, arg = null, what = null, timeout = WAIT) {
  try {
    return await page.waitForFunction(predicate, arg, { timeout });
  } catch (e) {
    if (e.name !== 'TimeoutError') throw e;
    return assert.fail(`Timed out after ${timeout / 1000} s waiting for ${what ?? `the page: ${predicate}`}`);
  }
}

/**
 * Waits until `locator` is in `state` (visible, hidden, attached); fails after `timeout` ms saying
 * what it waited for.
 */
export async function shows(locator, { state = 'visible', what = null, timeout = WAIT } = {}) {
  try {
    await locator.waitFor({ state, timeout });
  } catch (e) {
    if (e.name !== 'TimeoutError') throw e;
    assert.fail(`Timed out after ${timeout / 1000} s waiting for ${what ?? String(locator)} to be ${state}`);
  }
}

/**
 * Calls read() (in Node: it may evaluate in a page or a worker) every `interval` ms until it
 * returns a truthy value, and resolves with it; fails after `timeout` ms saying what it waited for
 * and what it read last.
 */
export async function poll(read, what, { timeout = WAIT, interval = 250 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) {
      assert.fail(`Timed out after ${timeout / 1000} s waiting for ${what}; last read: ${JSON.stringify(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/**
 * Reads read() until two reads `interval` ms apart agree (as JSON): a value that something under
 * way (a write on its way to IndexedDB) has stopped changing. Resolves with it; fails after
 * `timeout` ms.
 */
export async function settled(read, what, { timeout = WAIT, interval = 1000 } = {}) {
  let last = await read();
  return poll(async () => {
    const now = await read();
    const same = JSON.stringify(now) === JSON.stringify(last);
    last = now;
    return same ? { value: now } : null;
  }, `${what} to settle`, { timeout, interval }).then((r) => r.value);
}

/** Resolves once the page has drawn a frame after everything it was given so far. */
export function nextFrame(page) {
  return page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** Where tests put screenshots (looked at by people, not asserted on). */
export const screenshotDir = path.join(repoRoot, 'build', 'screenshots');
fs.mkdirSync(screenshotDir, { recursive: true });

/**
 * What sticks out of card `id`: { page: the page's scroll width, sticking: the first 60 characters
 * of each element reaching past the card's right edge, or a button whose label overflows it }.
 */
export function cardOverflow(page, id) {
  return page.evaluate((cardId) => {
    const c = document.getElementById(cardId);
    const right = c.getBoundingClientRect().right;
    const sticking = [...c.querySelectorAll('*')].filter((el) => el.getBoundingClientRect().right > right + 0.5 ||
      (el.tagName === 'BUTTON' && el.scrollWidth > el.clientWidth + 1)).map((el) => el.outerHTML.slice(0, 60));
    return { page: document.documentElement.scrollWidth, sticking };
  }, id);
}
