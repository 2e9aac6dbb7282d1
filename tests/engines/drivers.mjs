// One small driver facade over the three browser engines, so each journey is written once:
// Chromium through playwright-core (as tests/browser/ drives it), Firefox through puppeteer-core
// over WebDriver BiDi, and WebKit (Safari's engine; WebKitGTK's MiniBrowser) through the W3C
// WebDriver HTTP API of WebKitWebDriver, spoken with plain fetch().
//
// A driver: goto(url), click(selector), clickButton(text), fill(selector, value),
// press(selector, key), evaluate(fn, arg), waitFor(fn, arg, { timeout, message }),
// setFile(selector, path), dropFile(selector, file), screenshot(path), pageErrors and
// consoleErrors (arrays, filled as they happen), close(). Selectors are CSS; fn runs in the page
// and may be async; its argument and result are JSON.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser } from '../browser/harness.mjs';

export const ENGINES = ['chromium', 'firefox', 'webkit'];

// Generous: two shared cores, other builds running, a training step of a few hundred ms.
export const LONG = 180000;

const FIREFOX = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
const MINIBROWSER = process.env.MINIBROWSER_PATH || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const KEYS = { Enter: '\uE007', Tab: '\uE004', Escape: '\uE00C', ArrowRight: '\uE014' };

/** What each engine lacks on this machine, or null: a suite skips that engine with the reason. */
export function missingEngine(engine) {
  const need = { chromium: [process.env.CHROMIUM_PATH || '/usr/bin/chromium'], firefox: [FIREFOX],
    webkit: ['/usr/bin/WebKitWebDriver', MINIBROWSER, '/usr/bin/Xvfb'] }[engine];
  const missing = need.filter((f) => !fs.existsSync(f));
  return missing.length ? `${missing.join(', ')} not installed (scripts/setup.sh installs it)` : null;
}

/** Starts a browser of `engine` with one page: { ...facade }. options.locale: WebKit's process LANG (null: none, i.e. the C locale). */
export async function launch(engine, options = {}) {
  const driver = await { chromium: launchChromium, firefox: launchFirefox, webkit: launchWebKit }[engine](options);
  driver.name = engine;
  return driver;
}

/** Polls fn(arg) in the page until it returns something truthy; fails with `message` and what the page shows. */
async function waitFor(driver, fn, arg, { timeout = LONG, message = 'a condition' } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await driver.evaluate(fn, arg);
    if (value) return value;
    if (Date.now() > deadline) {
      const shown = await driver.evaluate(() => ({
        status: document.getElementById('status')?.textContent,
        notices: [...document.querySelectorAll('[data-message]')].map((n) => n.textContent).join(' | '),
      })).catch((e) => `(the page did not answer: ${e.message})`);
      throw new Error(`${driver.name}: timed out after ${timeout} ms waiting for ${message}; the page shows ` +
        `${JSON.stringify(shown)}; page errors: ${JSON.stringify(driver.pageErrors)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** page.evaluate's arguments for fn, a function or a function's source (a string). */
const callable = (fn, arg) => (typeof fn === 'string' ? [`(${fn})(${JSON.stringify(arg ?? null)})`] : [fn, arg]);

/** The facade's methods that are the same in every engine. */
function common(driver) {
  driver.pageErrors = [];
  driver.consoleErrors = [];
  driver.waitFor = (fn, arg, options) => waitFor(driver, fn, arg, options);
  // A button by its exact text (what a reader clicks): marked in the page, then clicked as a reader would.
  driver.clickButton = async (text) => {
    const found = await driver.evaluate((t) => {
      for (const old of document.querySelectorAll('[data-engines-target]')) delete old.dataset.enginesTarget;
      const button = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === t &&
        b.getClientRects().length > 0);
      if (button) button.dataset.enginesTarget = '';
      return !!button;
    }, text);
    if (!found) throw new Error(`${driver.name}: no button “${text}” on show`);
    await driver.click('[data-engines-target]');
  };
  // A file dropped from the desktop: dragenter, dragover and drop with a DataTransfer holding it.
  // file: { name, type, base64 }. Returns whether the page took it (cancelled dragover and drop).
  driver.dropFile = (selector, file) => driver.evaluate(([sel, f]) => {
    const transfer = new DataTransfer();
    const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
    transfer.items.add(new File([bytes], f.name, { type: f.type }));
    const target = document.querySelector(sel);
    const fire = (type) => !target.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true,
      cancelable: true }));
    fire('dragenter');
    return { dragover: fire('dragover'), drop: fire('drop') };
  }, [selector, file]);
  return driver;
}

// --- Chromium: playwright-core, Debian's chromium ---------------------------------------------

async function launchChromium() {
  const browser = await launchBrowser();
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  const driver = common({});
  page.on('pageerror', (e) => driver.pageErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') driver.consoleErrors.push(m.text()); });
  Object.assign(driver, {
    page,
    goto: (url) => page.goto(url),
    click: (selector) => page.click(selector),
    fill: (selector, value) => page.fill(selector, value),
    press: (selector, key) => page.press(selector, key),
    evaluate: (fn, arg) => page.evaluate(...callable(fn, arg)),
    setFile: (selector, file) => page.setInputFiles(selector, file),
    screenshot: (file) => page.screenshot({ path: file }),
    close: () => browser.close(),
  });
  return driver;
}

// --- Firefox: puppeteer-core over WebDriver BiDi, Debian's firefox-esr ------------------------

async function launchFirefox() {
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true,
    protocolTimeout: LONG, defaultViewport: { width: 1280, height: 900 },
    extraPrefsFirefox: { 'browser.download.folderList': 2, 'browser.download.dir': os.tmpdir() } });
  const [page] = await browser.pages();
  page.setDefaultTimeout(LONG);
  // Leaving a page whose model is not saved asks first (beforeunload); the other drivers say yes by themselves.
  page.on('dialog', (dialog) => dialog.accept().catch(() => {}));
  const driver = common({});
  page.on('pageerror', (e) => driver.pageErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') driver.consoleErrors.push(m.text()); });
  Object.assign(driver, {
    page,
    goto: (url) => page.goto(url),
    click: (selector) => page.click(selector),
    // puppeteer's fill('') leaves the old value: an empty field is selected and deleted as a reader does.
    fill: async (selector, value) => {
      if (value) return page.locator(selector).fill(value);
      await page.focus(selector);
      await page.$eval(selector, (el) => el.select());
      return page.keyboard.press('Backspace');
    },
    press: async (selector, key) => {
      await page.focus(selector);
      await page.keyboard.press(key);
    },
    evaluate: (fn, arg) => page.evaluate(...callable(fn, arg)),
    setFile: async (selector, file) => (await page.$(selector)).uploadFile(file),
    screenshot: (file) => page.screenshot({ path: file }),
    close: () => browser.close(),
  });
  return driver;
}

// --- WebKit: WebKitWebDriver (W3C WebDriver over HTTP) and the MiniBrowser on its own Xvfb -----

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    }).on('error', reject);
  });
}

/** Starts Xvfb on a free display (it picks one and writes it to a pipe): { display, stop }. */
function startXvfb() {
  return new Promise((resolve, reject) => {
    const x = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1000x24', '-nolisten', 'tcp'],
      { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    let err = '';
    x.stderr.on('data', (d) => { err += d; });
    x.on('exit', (code) => reject(new Error(`Xvfb exited (${code}): ${err}`)));
    x.stdio[3].once('data', (d) => resolve({ display: `:${String(d).trim()}`, stop: () => x.kill() }));
  });
}

/** Lines the MiniBrowser writes for the page's console: `CONSOLE JS ERROR ...` and the like. */
function watchConsole(stream, driver) {
  let rest = '';
  stream.on('data', (chunk) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop();
    for (const line of lines) {
      if (/^CONSOLE \S+ ERROR/.test(line)) driver.consoleErrors.push(line);
      // Uncaught exceptions are console errors in WebKit; a "JS" error line without a resource
      // failure is one the page did not catch.
      if (/^CONSOLE JS ERROR/.test(line)) driver.pageErrors.push(line.replace(/^CONSOLE JS ERROR\s*/, ''));
    }
  });
}

async function launchWebKit(options = {}) {
  const { locale = 'en_US.UTF-8' } = options;
  const xvfb = await startXvfb();
  const port = await freePort();
  const wd = spawn('WebKitWebDriver', [`--port=${port}`, '--host=127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(LANG|LC_|LANGUAGE)/.test(k))),
      DISPLAY: xvfb.display, ...(locale && { LANG: locale }), ...(options.localePath && { LOCPATH: options.localePath }) },
  });
  const driver = common({});
  watchConsole(wd.stdout, driver);
  wd.stderr.on('data', () => {});
  const base = `http://127.0.0.1:${port}`;
  const stop = () => { wd.kill(); xvfb.stop(); };
  process.once('exit', stop); // a run cut short leaves no display or driver behind
  async function call(method, route, body) {
    const response = await fetch(base + route, { method, headers: { 'content-type': 'application/json' },
      body: body && JSON.stringify(body) });
    const { value } = await response.json();
    if (value?.error) throw new Error(`WebKitWebDriver ${method} ${route}: ${value.error}: ${value.message}`);
    return value;
  }
  try {
    for (const deadline = Date.now() + 30000; ;) {
      const ready = await call('GET', '/status').then((v) => v.ready, () => false);
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`WebKitWebDriver did not answer on port ${port} within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const { sessionId } = await call('POST', '/session', { capabilities: { alwaysMatch: {
      browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: MINIBROWSER,
        args: ['--automation', '--enable-write-console-messages-to-stdout=true'] } } } });
    const session = `/session/${sessionId}`;
    await call('POST', `${session}/timeouts`, { script: LONG, pageLoad: LONG, implicit: 0 });
    await call('POST', `${session}/window/rect`, { width: 1280, height: 900 }).catch(() => {});
    const element = async (selector) => {
      const found = await call('POST', `${session}/element`, { using: 'css selector', value: selector });
      return found[ELEMENT];
    };
    Object.assign(driver, {
      goto: (url) => call('POST', `${session}/url`, { url }),
      // In the middle of the window first: WebDriver scrolls an element only just into view, where
      // the page's sticky bar can cover it ("element click intercepted").
      click: async (selector) => {
        const id = await element(selector);
        await call('POST', `${session}/execute/sync`, { script: 'arguments[0].scrollIntoView({ block: "center" })',
          args: [{ [ELEMENT]: id }] });
        return call('POST', `${session}/element/${id}/click`, {});
      },
      fill: async (selector, value) => {
        const id = await element(selector);
        // Control+A and Backspace, as a reader empties a field (WebDriver's clear fires no input
        // event, and leaves a number box as it was in WebKit).
        await call('POST', `${session}/element/${id}/value`, { text: '\uE009a\uE000\uE003' });
        // A line break is the Enter key (WebKit drops a "\n" in the keys).
        if (value) await call('POST', `${session}/element/${id}/value`, { text: value.replace(/\n/g, KEYS.Enter) });
      },
      press: async (selector, key) =>
        call('POST', `${session}/element/${await element(selector)}/value`, { text: KEYS[key] ?? key }),
      // Async in the page, settled back through WebDriver's callback; errors come back as errors.
      evaluate: async (fn, arg) => {
        const result = await call('POST', `${session}/execute/async`, {
          script: `const done = arguments[arguments.length - 1];
            Promise.resolve().then(() => (${fn})(arguments[0]))
              .then((value) => done({ value: value === undefined ? null : value }),
                (e) => done({ error: String(e && e.stack || e) }));`,
          args: [arg === undefined ? null : arg],
        });
        if (result.error) throw new Error(`webkit: evaluate failed in the page: ${result.error}`);
        return result.value;
      },
      setFile: async (selector, file) =>
        call('POST', `${session}/element/${await element(selector)}/value`, { text: file }),
      screenshot: async (file) => fs.writeFileSync(file, Buffer.from(await call('GET', `${session}/screenshot`), 'base64')),
      close: async () => {
        await call('DELETE', session).catch(() => {});
        stop();
      },
    });
    return driver;
  } catch (e) {
    stop();
    throw e;
  }
}

/** Where the suite's screenshots go (looked at by people, not asserted on). */
export function screenshotPath(engine, name) {
  const dir = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'build', 'screenshots', 'engines');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `${engine}-${name}.png`);
}
