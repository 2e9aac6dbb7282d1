// Helpers for the trainer page's browser tests: open the page, read what it shows, wait for a
// condition (never a fixed sleep: this machine is slow and shared).
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { startServer, launchBrowser, until, shows, WAIT } from './harness.mjs';

// A test's timeout. Generous: two shared cores, other builds running, a training step of a few
// hundred ms. Each wait inside a test has its own, shorter deadline (WAIT, harness.mjs).
export const LONG = 180000;

/**
 * Opens the trainer page with its test hooks on (`?test`: the data-* figures these helpers read);
 * collects page errors, which a test can assert are absent.
 */
export async function openTrainer(context, url, { width = 1440, height = 1000, initScript } = {}) {
  const page = await context.newPage();
  await page.setViewportSize({ width, height });
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  if (initScript) await page.addInitScript(initScript);
  await page.goto(new URL('/?test', url).href);
  return page;
}

/** The figures' data attributes as numbers (nats, iterations). */
export async function figures(page) {
  const data = await page.evaluate(() => ({ ...document.getElementById('figures').dataset }));
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Number(v)]));
}

export async function status(page) {
  return page.getAttribute('#status', 'data-state');
}

/** Waits until predicate(figures) is true; resolves with the figures. */
export async function waitForFigures(page, predicate, what, timeout = WAIT) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const f = await figures(page);
    if (predicate(f)) return f;
    if (Date.now() > deadline) {
      assert.fail(`Timed out after ${timeout / 1000} s waiting for ${what}; figures: ${JSON.stringify(f)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export const waitForIteration = (page, n, timeout) =>
  waitForFigures(page, (f) => f.iteration >= n, `iteration ${n}`, timeout);

export async function waitForStatus(page, state, timeout = WAIT) {
  await until(page, (s) => document.getElementById('status').dataset.state === s, state, `the status “${state}”`,
    timeout);
}

/** The message with this id (see web/views/messages.js), once it shows. */
export async function message(page, id, timeout = WAIT) {
  const locator = page.locator(`[data-message="${id}"]`);
  await shows(locator.first(), { what: `the message “${id}”`, timeout });
  return locator.first();
}

/** Pauses with the Pause button and waits until the worker has stopped. */
export async function pause(page) {
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await waitForStatus(page, 'paused');
}

/**
 * Clicks Sample and waits for the streamed sample to finish (its box marked data-streaming, then
 * not: an automatic sample arriving meanwhile is not mistaken for it); returns { prime, gen, greedy, greedyPrime }
 * (greedy: the greedy line after its priming text).
 */
export async function sampleNow(page) {
  await page.evaluate(() => {
    const el = document.getElementById('sample-text');
    window.sampleDone = false;
    let began = false;
    const observer = new MutationObserver((records) => {
      if (records.some((r) => r.oldValue === null)) began = true; // data-streaming appeared
      if (began && !el.dataset.streaming) {
        observer.disconnect();
        window.sampleDone = true;
      }
    });
    observer.observe(el, { attributes: true, attributeFilter: ['data-streaming'], attributeOldValue: true });
  });
  await page.getByRole('button', { name: 'Sample', exact: true }).click();
  await until(page, () => window.sampleDone, null, 'the streamed sample to finish');
  return page.evaluate(() => ({
    prime: document.querySelector('#sample-text .prime').textContent,
    gen: document.querySelector('#sample-text .gen').textContent,
    greedy: document.querySelector('#greedy-text .gen').textContent,
    greedyPrime: document.querySelector('#greedy-text .prime').textContent,
  }));
}

/** Sets the temperature slider to a value. */
export async function setTemperature(page, t) {
  await page.locator('#temperature').evaluate((el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, t);
}

export const distinct = (s) => new Set(s).size;

/**
 * The page's main-thread tasks that took over 50 ms of the thread's CPU time during `use(attempt)`,
 * after an unobserved `prepare(attempt)`: Chromium's trace of the window (its RunTask events on the
 * renderer's main thread, whose `tdur` is the thread's own CPU time). Wall time, which the
 * PerformanceObserver's 'longtask' gives, also counts the time the OS gave other processes in the
 * middle of a task: on this shared 2-core machine, under load, any task of a few ms can last 200.
 * A window with long tasks is repeated (twice at most); the test asserts the last one is empty.
 * Returns every window's tasks: [{ cpuMs, wallMs }].
 */
export async function longTasksInWindows(page, use, prepare = async () => {}) {
  const browser = page.context().browser();
  const windows = [];
  for (let attempt = 0; attempt < 3 && windows.at(-1)?.length !== 0; attempt++) {
    await prepare(attempt);
    await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
    let trace;
    try {
      await use(attempt);
    } finally {
      trace = await browser.stopTracing();
    }
    const seen = cpuLongTasks(trace);
    if (seen.length) console.log(`# long tasks in window ${attempt + 1}: ${JSON.stringify(seen)} (load: ${os.loadavg()[0]})`);
    windows.push(seen);
  }
  return windows;
}

/** The tasks of a Chromium trace's renderer main threads that used 50 ms of CPU or more. */
export function cpuLongTasks(traceBuffer) {
  const { traceEvents: events } = JSON.parse(traceBuffer.toString());
  const main = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
    .map((e) => `${e.pid}:${e.tid}`));
  return events.filter((e) => e.ph === 'X' && e.name === 'RunTask' && main.has(`${e.pid}:${e.tid}`) && e.tdur >= 50000)
    .map((e) => ({ cpuMs: Math.round(e.tdur / 1000), wallMs: Math.round(e.dur / 1000) }));
}

/**
 * Clicks a save button; returns { file, name, valLoss, iteration } of the download (saved into dir).
 * Save model asks which weights and precision: `choice` picks them by their labels' start
 * ({ which: 'Latest' | 'Best so far', precision: 'float32' | 'float16' }), the latest in float32 by default.
 */
export async function saveWith(page, buttonName, dir, { which = 'Latest', precision = 'float32' } = {}) {
  const downloaded = page.waitForEvent('download', { timeout: WAIT });
  await page.getByRole('button', { name: buttonName, exact: true }).click();
  if (buttonName === 'Save model') {
    const dialog = page.locator('#save-dialog');
    await shows(dialog, { what: 'the Save model dialog' });
    await dialog.getByRole('radio', { name: new RegExp(`^${which}`) }).check();
    await dialog.getByRole('radio', { name: new RegExp(`^${precision}`) }).check();
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  }
  const download = await downloaded;
  const file = path.join(dir, download.suggestedFilename());
  await download.saveAs(file);
  const note = await message(page, 'save');
  return { file, name: download.suggestedFilename(), valLoss: Number(await note.getAttribute('data-val-loss')),
    iteration: Number(await note.getAttribute('data-iteration')) };
}

/** Loads a model file through the Load model button's file chooser; returns the 'load' message. */
export async function loadModelFile(page, file) {
  await page.evaluate(() => document.querySelectorAll('[data-message="load"]').forEach((e) => e.remove()));
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Load model…', exact: true }).click(),
  ]);
  await chooser.setFiles(file);
  await confirmReplaceIfAsked(page, '[data-message="load"]');
  return message(page, 'load');
}

/**
 * After a click that replaces the model (a model file): the page asks first when the model has
 * training no file or autosave holds. Waits until it either asks (and says yes) or an element
 * matching `doneSelector` shows up.
 */
export async function confirmReplaceIfAsked(page, doneSelector) {
  const asked = await until(page, (selector) => {
    if (document.getElementById('confirm').open) return 'asked';
    return document.querySelector(selector) ? 'done' : false;
  }, doneSelector, `the replace dialog or ${doneSelector}`);
  if ((await asked.jsonValue()) === 'asked') {
    await page.locator('#confirm').getByRole('button', { name: /^Discard it and/ }).click();
  }
}

/** Clicks Train, saying yes if the page asks before replacing a trained model. */
export async function clickTrain(page) {
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await confirmTrainIfAsked(page);
}

/**
 * After Train was clicked (by any means): says yes if the page asked before replacing a trained
 * model. The page asks (or not) in the click's own task: by now the dialog is open or will not be.
 */
export async function confirmTrainIfAsked(page) {
  if (await page.evaluate(() => document.getElementById('confirm').open)) {
    await page.locator('#confirm').getByRole('button', { name: 'Discard it and train a new model' }).click();
  }
}

/**
 * Drops files on the element `selector` the way a drag from the desktop does (dragenter, dragover,
 * drop). files: [{ name, type, text }] or [{ name, type, url }] (url: fetched by the page). Returns
 * { dragover, drop }: whether the page cancelled each, i.e. took the files (an event left alone
 * makes the browser open the file in place of the page).
 */
export async function dropFiles(page, selector, files) {
  return page.evaluate(async ([selector, files]) => {
    const transfer = new DataTransfer();
    for (const f of files) {
      const body = f.url ? await (await fetch(f.url)).blob() : f.text;
      transfer.items.add(new File([body], f.name, { type: f.type }));
    }
    const target = document.querySelector(selector);
    const fire = (type) => !target.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true,
      cancelable: true }));
    fire('dragenter');
    return { dragover: fire('dragover'), drop: fire('drop') };
  }, [selector, files]);
}

/**
 * Replaces the training text with `text`, as a reader does: a text area that shows only the start
 * of a long file is read-only until "Edit as text" is confirmed.
 */
export async function fillTrainingText(page, text) {
  const area = page.getByLabel('Training text');
  if (!(await area.isEditable())) {
    await page.getByRole('button', { name: 'Edit as text', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: /^Edit the first/ }).click();
  }
  await area.fill(text);
}

/**
 * The set-up most trainer-page test files share: before the first test a server, a browser and
 * the page (openTrainer's options: width, height), past its default model's first step when
 * `firstStep`, then `prepare(page, fixture)` if given; all closed after the last test. Returns
 * { ready }: a promise of { server, browser, page }, for the file's own hook to await (Node 20
 * starts a file's top-level `before` hooks together, so a later hook cannot rely on this one having
 * finished).
 */
export function trainerPageFixture({ firstStep = false, prepare, ...open } = {}) {
  const fixture = { server: null, browser: null, page: null };
  let opened;
  const ready = new Promise((resolve, reject) => { opened = { resolve, reject }; });
  ready.catch(() => {}); // reported by the hook that failed
  before(async () => {
    try {
      fixture.server = await startServer();
      fixture.browser = await launchBrowser();
      fixture.page = await openTrainer(fixture.browser.context, fixture.server.url, open);
      if (firstStep) await waitForIteration(fixture.page, 1);
      await prepare?.(fixture.page, fixture);
      opened.resolve(fixture);
    } catch (e) {
      opened.reject(e);
      throw e;
    }
  });
  after(async () => {
    await fixture.browser?.close();
    await fixture.server?.close();
  });
  return { ready };
}
