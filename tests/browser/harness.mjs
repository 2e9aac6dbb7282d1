// Shared set-up for the browser tests: the built page served on a free loopback port, and
// Debian's Chromium driven by playwright-core.
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

/** Where tests put screenshots (looked at by people, not asserted on). */
export const screenshotDir = path.join(repoRoot, 'build', 'screenshots');
fs.mkdirSync(screenshotDir, { recursive: true });
