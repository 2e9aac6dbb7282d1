// The <char-rnn> widget on the example blog page (examples/embed/, built into build/web/embed/):
// both good widgets show text, the missing model says so, the page and the widgets do not style
// each other, "Sample again" and the keyboard-driven temperature slider resample, and the page
// fetches nothing but the widget's own files and the models it names.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launchBrowser, screenshotDir, webRoot } from './harness.mjs';

// CHARRNN_WEB_ROOT: another built site to test (e.g. a stand-in while the page build is missing).
const root = process.env.CHARRNN_WEB_ROOT || webRoot;
let server;
let browser;

before(async () => {
  for (const file of ['embed/index.html', 'widget/char-rnn.js', 'widget/sampler-worker.js',
    'widget/charrnn_sampling.wasm', 'models/shakespeare.safetensors', 'models/names.safetensors']) {
    if (!fs.existsSync(path.join(root, file))) throw new Error(`${root}/${file} is missing: run scripts/build.sh wasm web`);
  }
  server = await startServer(root);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * A new tab on the embed page. Records every 'sampled' event (they do not bubble, so a capture
 * listener on the document) in window.samples, and every request in the returned list.
 * options.blockWidget: the widget script fails to load, as if there were no widget.
 * options.pages: { path: html } pages made up for the test, served as if from the site.
 */
async function openEmbed({ blockWidget = false, pagePath = '/embed/', pages = {} } = {}) {
  const page = await browser.context.newPage();
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => console.log(`page error: ${error.message}`));
  await page.addInitScript(() => {
    window.samples = [];
    document.addEventListener('sampled', (e) => window.samples.push({ id: e.target.id, text: e.detail.text }), true);
  });
  if (blockWidget) await page.route('**/widget/char-rnn.js', (route) => route.abort());
  for (const [at, html] of Object.entries(pages)) {
    await page.route(server.url + at, (route) => route.fulfill({ contentType: 'text/html', body: html }));
  }
  await page.setViewportSize({ width: 900, height: 1000 });
  await page.goto(server.url + pagePath);
  return { page, requests };
}

/** Waits until every widget on the page has finished (shown its sample, or its error). */
async function settled(page) {
  await page.waitForFunction(() => {
    const widgets = [...document.querySelectorAll('char-rnn')];
    return widgets.length > 0 && widgets.every((w) => w.state === 'done' || w.state === 'error');
  }, null, { timeout: 60000 });
}

/** What the widget shows: its sample text and its status message. */
function shown(page, id) {
  return page.evaluate((id) => {
    const r = document.getElementById(id).shadowRoot;
    return { text: r.querySelector('.text').textContent, status: r.querySelector('.status').textContent,
      state: document.getElementById(id).state };
  }, id);
}

/** Waits for widget `id` to finish its (count+1)-th sample; returns its text. */
async function nthSample(page, id, count) {
  await page.waitForFunction(([id, count]) => window.samples.filter((s) => s.id === id).length > count,
    [id, count], { timeout: 60000 });
  return page.evaluate(([id, count]) => window.samples.filter((s) => s.id === id)[count].text, [id, count]);
}

test('the embed page shows sampled text in both good widgets', async () => {
  const { page } = await openEmbed();
  await settled(page);
  const shakespeare = await shown(page, 'shakespeare');
  assert.equal(shakespeare.state, 'done');
  assert.ok(shakespeare.text.startsWith('ROMEO:'), shakespeare.text);
  assert.ok(shakespeare.text.length >= 'ROMEO:'.length + 400, `400 characters after the prime: ${shakespeare.text}`);
  assert.equal(shakespeare.status, '');
  const names = await shown(page, 'names');
  assert.equal(names.state, 'done');
  assert.ok(names.text.startsWith('Ma') && names.text.length >= 2 + 120, names.text);
  // Everything sampled is on screen, as text.
  assert.equal(shakespeare.text, await page.evaluate(() => document.getElementById('shakespeare').text));
  await page.screenshot({ path: path.join(screenshotDir, 'widget-embed.png'), fullPage: true });
  await page.close();
});

test('a missing model shows a short message inside the widget', async () => {
  const { page } = await openEmbed();
  await settled(page);
  const broken = await shown(page, 'broken');
  assert.equal(broken.state, 'error');
  assert.match(broken.status, /no-such-model\.safetensors/);
  assert.match(broken.status, /404/);
  assert.ok(broken.status.length < 160, `short: ${broken.status}`);
  assert.ok(await page.locator('#broken .status').isVisible());
  assert.ok(!(await page.locator('#broken .text').isVisible()), 'no empty text box under the message');
  await page.close();
});

test('a corrupt or wrong-format model file shows a message (and src changes take effect)', async () => {
  const { page } = await openEmbed();
  await settled(page);
  const bodies = {
    'corrupt.safetensors': Buffer.from([0x20, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x22, 0xff, 0x01, 0x02]),
    // What a static host that falls back to its index page serves for a missing file.
    'fallback.safetensors': Buffer.from('<!doctype html><title>My blog</title><p>Home</p>'),
  };
  await page.route('**/models/*.safetensors', (route) => {
    const name = new URL(route.request().url()).pathname.split('/').pop();
    return bodies[name] ? route.fulfill({ status: 200, body: bodies[name] }) : route.continue();
  });
  for (const name of Object.keys(bodies)) {
    await page.evaluate((name) => document.getElementById('names').setAttribute('src', `../models/${name}`), name);
    await page.waitForFunction(() => document.getElementById('names').state === 'error', null, { timeout: 30000 });
    const { status } = await shown(page, 'names');
    assert.match(status, new RegExp(`Could not load the model “${name.replace('.', '\\.')}”`));
    assert.match(status, /not a valid model file/);
  }
  // Back to the real model: the widget recovers.
  await page.evaluate(() => document.getElementById('names').setAttribute('src', '../models/names.safetensors'));
  await page.waitForFunction(() => document.getElementById('names').state === 'done', null, { timeout: 30000 });
  assert.ok((await shown(page, 'names')).text.startsWith('Ma'));
  await page.close();
});

// Computed styles of some elements, by selector; `inner` selectors are looked up in a widget.
function computedStyles(page, selectors, inner) {
  return page.evaluate(([selectors, inner]) => {
    const props = ['font-family', 'font-size', 'font-weight', 'font-style', 'color', 'background-color',
      'text-transform', 'letter-spacing', 'text-indent', 'line-height', 'border-top-width', 'border-top-style',
      'border-top-color', 'padding-top', 'padding-left', 'margin-top', 'border-radius', 'white-space', 'display'];
    const scope = inner ? document.querySelector(inner).shadowRoot : document;
    return Object.fromEntries(selectors.map((s) => {
      const style = getComputedStyle(scope.querySelector(s));
      return [s, Object.fromEntries(props.map((p) => [p, style.getPropertyValue(p)]))];
    }));
  }, [selectors, inner]);
}

test('the widget does not change the styles of the host page', async () => {
  const host = ['body', '#intro', '#subscribe', '#snippet', 'figcaption', 'h1'];
  const without = await openEmbed({ blockWidget: true });
  assert.equal(await without.page.evaluate(() => customElements.get('char-rnn')), undefined);
  const before = await computedStyles(without.page, host);
  await without.page.close();

  const { page } = await openEmbed();
  await settled(page);
  assert.deepEqual(await computedStyles(page, host), before);
  // It did not add styles to the document either.
  assert.equal(await page.evaluate(() => document.styleSheets.length + document.adoptedStyleSheets.length), 1);
  await page.close();
});

test('host page styles do not reach inside the widget', async () => {
  // The same widget on a page with no styles of its own, served from the same folder.
  const { page: bare } = await openEmbed({
    pagePath: '/embed/bare.html',
    pages: {
      '/embed/bare.html': '<!doctype html><script type="module" src="../widget/char-rnn.js"></script>' +
        '<char-rnn id="shakespeare" src="../models/shakespeare.safetensors" prime="ROMEO:" length="40">' +
        '</char-rnn>',
    },
  });
  await settled(bare);
  const inner = ['.w', '.text', '.prime', '.bar', 'button', 'label', 'input', 'output', '.model'];
  const expected = await computedStyles(bare, inner, '#shakespeare');
  await bare.close();

  const { page } = await openEmbed();
  await settled(page);
  const actual = await computedStyles(page, inner, '#shakespeare');
  assert.deepEqual(actual, expected);
  // And concretely: the blog's round red uppercase buttons stay outside.
  assert.notEqual(actual.button['background-color'], 'rgb(192, 57, 43)');
  assert.equal(actual.button['text-transform'], 'none');
  assert.notEqual(actual['.text']['font-family'], (await computedStyles(page, ['#snippet']))['#snippet']['font-family']);
  await page.close();
});

test('"Sample again" draws a new text, typed out as it comes', async () => {
  const { page } = await openEmbed();
  await settled(page);
  const first = await nthSample(page, 'shakespeare', 0);
  await page.locator('#shakespeare').getByRole('button', { name: 'Sample again' }).click();
  // "type" mode: part of the text is on screen while the rest is still to come.
  await page.waitForFunction(() => {
    const w = document.getElementById('shakespeare');
    return w.state === 'typing' && w.shadowRoot.querySelector('.text').textContent.length > 'ROMEO:'.length + 5;
  }, null, { timeout: 30000 });
  const partial = (await shown(page, 'shakespeare')).text.length;
  const second = await nthSample(page, 'shakespeare', 1);
  assert.ok(partial < second.length, `partly shown (${partial}) before all (${second.length})`);
  assert.ok(second.startsWith('ROMEO:'));
  assert.notEqual(second, first);
  assert.equal((await shown(page, 'shakespeare')).text, second);
  await page.close();
});

test('switching to mode="instant" while typing shows the rest at once', async () => {
  const { page } = await openEmbed();
  await settled(page);
  await page.evaluate(() => document.getElementById('shakespeare').sample());
  // All 400 characters have come from the worker, and they are still being typed out.
  await page.waitForFunction(() => {
    const w = document.getElementById('shakespeare');
    return w.state === 'typing' && w.text.length >= 'ROMEO:'.length + 400 &&
      w.shadowRoot.querySelector('.text').textContent.length < w.text.length;
  }, null, { timeout: 30000 });
  await page.evaluate(() => document.getElementById('shakespeare').setAttribute('mode', 'instant'));
  const all = await nthSample(page, 'shakespeare', 1);
  assert.equal((await shown(page, 'shakespeare')).text, all);
  await page.close();
});

test('the temperature slider is labelled and works with the keyboard', async () => {
  const { page } = await openEmbed();
  await settled(page);
  const widget = page.locator('#shakespeare');
  // A fixed seed: a different text can then only come from the temperature.
  await page.evaluate(() => document.getElementById('shakespeare').setAttribute('seed', '7'));
  const atSeed = await nthSample(page, 'shakespeare', 1);

  const slider = widget.getByRole('slider', { name: 'Temperature' });
  assert.equal(await slider.inputValue(), '0.8');
  await widget.getByRole('button', { name: 'Sample again' }).focus();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.getElementById('shakespeare').shadowRoot.activeElement?.type), 'range',
    'Tab moves from the button to the slider');
  await page.keyboard.press('ArrowRight');
  assert.equal(await slider.inputValue(), '0.85');
  assert.equal(await widget.locator('output').textContent(), '0.85');
  const hotter = await nthSample(page, 'shakespeare', 2);
  assert.notEqual(hotter, atSeed);

  await page.keyboard.press('ArrowLeft');
  assert.equal(await widget.locator('output').textContent(), '0.8');
  assert.equal(await nthSample(page, 'shakespeare', 3), atSeed, 'same seed and temperature, same text');
  await page.close();
});

test('controls attributes hide the button and the slider', async () => {
  const { page } = await openEmbed();
  await settled(page);
  const names = page.locator('#names');
  assert.ok(await names.getByRole('button', { name: 'Sample again' }).isVisible());
  assert.ok(!(await names.locator('input[type="range"]').isVisible()), 'no-temperature hides the slider');
  await page.evaluate(() => document.getElementById('names').setAttribute('controls', 'none'));
  assert.ok(!(await names.locator('.bar').isVisible()), 'controls="none" hides the whole bar');
  await page.evaluate(() => document.getElementById('names').setAttribute('controls', 'temperature'));
  assert.ok(!(await names.locator('.bar').isVisible()), 'no-temperature still wins');
  await page.evaluate(() => document.getElementById('names').removeAttribute('no-temperature'));
  assert.ok(await names.locator('input[type="range"]').isVisible());
  assert.ok(!(await names.getByRole('button', { name: 'Sample again' }).isVisible()));
  assert.ok(!(await names.getByLabel('Your text').isVisible()), 'the priming box only with controls="prime"');
  await page.close();
});

test('one worker for the page; each model fetched once; nothing else fetched', async () => {
  const { page, requests } = await openEmbed();
  await settled(page);
  // A fourth widget on an already loaded model, and a resample: no new downloads.
  await page.evaluate(() => {
    const w = document.createElement('char-rnn');
    w.id = 'again';
    w.setAttribute('src', '../models/shakespeare.safetensors');
    w.setAttribute('mode', 'instant');
    document.body.append(w);
  });
  await nthSample(page, 'again', 0);
  await page.locator('#names').getByRole('button', { name: 'Sample again' }).click();
  await nthSample(page, 'names', 1);

  const paths = requests.map((u) => new URL(u).pathname);
  const count = (p) => paths.filter((x) => x === p).length;
  assert.equal(count('/widget/sampler-worker.js'), 1);
  assert.equal(count('/widget/charrnn_sampling.wasm'), 1);
  assert.equal(count('/models/shakespeare.safetensors'), 1);
  assert.equal(count('/models/names.safetensors'), 1);
  assert.equal(count('/models/c-code.safetensors'), 1, 'the two C cells share one download');
  assert.deepEqual([...new Set(paths)].sort(), ['/embed/', '/models/c-code.safetensors', '/models/names.safetensors',
    '/models/no-such-model.safetensors', '/models/shakespeare.safetensors',
    '/widget/char-rnn.js', '/widget/charrnn_sampling.wasm', '/widget/sampler-worker.js']);
  await page.close();
});

test('the widget folder works from another origin (a CDN)', async () => {
  // A made-up CDN answered by the test itself: Chromium refuses a page's requests to another
  // loopback port (local network access), but not routed ones.
  await browser.context.route('https://cdn.example/**', (route) => {
    const file = path.join(root, new URL(route.request().url()).pathname);
    const type = file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
    return route.fulfill({ path: file, headers: { 'Access-Control-Allow-Origin': '*', 'Content-Type': type } });
  });
  const { page, requests } = await openEmbed({
    pagePath: '/embed/cdn.html',
    pages: {
      '/embed/cdn.html': '<!doctype html><script type="module" src="https://cdn.example/widget/char-rnn.js"></script>' +
        '<char-rnn id="w" src="../models/shakespeare.safetensors" prime="ROMEO:" length="60"></char-rnn>',
    },
  });
  const text = await nthSample(page, 'w', 0);
  assert.ok(text.startsWith('ROMEO:') && text.length >= 66, text);
  assert.ok(requests.includes('https://cdn.example/widget/sampler-worker.js'));
  assert.ok(requests.includes('https://cdn.example/widget/charrnn_sampling.wasm'));
  await page.close();
  await browser.context.unroute('https://cdn.example/**');
});

test('controls="prime": readers type their own priming text; unknown characters are left out with a note', async () => {
  const { page } = await openEmbed({
    pagePath: '/embed/prime.html',
    pages: {
      '/embed/prime.html': '<!doctype html><script type="module" src="../widget/char-rnn.js"></script>' +
        '<char-rnn id="w" src="../models/shakespeare.safetensors" controls="prime" prime="ROMEO:" length="80" ' +
        'seed="5" mode="instant"></char-rnn>',
    },
  });
  const widget = page.locator('#w');
  const first = await nthSample(page, 'w', 0);
  assert.ok(first.startsWith('ROMEO:'), first);
  // A labelled text box holding the page's prime, and its button; the other controls stay away.
  const box = widget.getByLabel('Your text');
  assert.equal(await box.inputValue(), 'ROMEO:');
  assert.ok(!(await widget.getByRole('button', { name: 'Sample again' }).isVisible()));

  // Enter samples from the reader's text. "€" and "😀" are not in the Shakespeare model's vocabulary.
  await box.fill('JULIET€:😀');
  await box.press('Enter');
  const second = await nthSample(page, 'w', 1);
  assert.ok(second.startsWith('JULIET:') && second.length >= 'JULIET:'.length + 80, second);
  const { status, state } = await shown(page, 'w');
  assert.equal(state, 'done', 'a sample, not an error');
  assert.match(status, /“€”, “😀” are not in this model's vocabulary and were left out/);
  assert.equal(await widget.locator('.prime').textContent(), 'JULIET:');

  // The button does the same; a prime the model knows has no note.
  await box.fill('KING:');
  await widget.getByRole('button', { name: 'Continue it' }).click();
  const third = await nthSample(page, 'w', 2);
  assert.ok(third.startsWith('KING:'), third);
  assert.equal((await shown(page, 'w')).status, '');
  await page.close();
});

test('temperature and top-k: the engine\'s range, not the slider\'s; beyond it, the engine\'s limit', async () => {
  // The same seed and prime in each: a different text can only come from the settings.
  const widget = (id, attributes) => `<char-rnn id="${id}" src="../models/shakespeare.safetensors" prime="ROMEO:" ` +
    `length="80" seed="7" mode="instant" controls="none" ${attributes}></char-rnn>`;
  const { page } = await openEmbed({
    pagePath: '/embed/ranges.html',
    pages: {
      '/embed/ranges.html': '<!doctype html><script type="module" src="../widget/char-rnn.js"></script>' +
        widget('t2', 'temperature="2"') + widget('t5', 'temperature="5"') + widget('t100', 'temperature="100"') +
        widget('t500', 'temperature="500"') + widget('k0', 'top-k="0"') + widget('kBad', 'top-k="many"'),
    },
  });
  await settled(page);
  const shownText = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('char-rnn')]
    .map((w) => [w.id, { state: w.state, text: w.text }])));
  for (const [id, { state }] of Object.entries(shownText)) assert.equal(state, 'done', `#${id} samples`);
  const text = (id) => shownText[id].text;
  assert.notEqual(text('t5'), text('t2'), 'a temperature above the slider\'s 2 is used as given');
  assert.equal(text('t500'), text('t100'), 'beyond the engine\'s highest temperature (100): its highest');
  assert.equal(text('kBad'), text('k0'), 'a top-k that is not a number: the engine\'s default (0: all)');
  await page.close();
});

test('a huge length keeps the box a sensible height: the text scrolls inside it', async () => {
  const { page } = await openEmbed({
    pagePath: '/embed/long.html',
    pages: {
      '/embed/long.html': '<!doctype html><script type="module" src="../widget/char-rnn.js"></script>' +
        '<char-rnn id="w" src="../models/shakespeare.safetensors" length="10000" mode="instant" seed="1"></char-rnn>',
    },
  });
  const text = await nthSample(page, 'w', 0);
  assert.ok(text.length >= 10000);
  const box = await page.evaluate(() => {
    const t = document.getElementById('w').shadowRoot.querySelector('.text');
    return { height: t.clientHeight, scroll: t.scrollHeight, widget: document.getElementById('w').offsetHeight };
  });
  assert.ok(box.height < 600, `the text box is ${box.height} px tall`);
  assert.ok(box.widget < 700, `the widget is ${box.widget} px tall`);
  assert.ok(box.scroll > box.height * 5, `the sample scrolls inside (${box.scroll} px of text)`);
  await page.close();
});
