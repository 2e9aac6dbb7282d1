// The trainer page's layout at phone, tablet and desktop widths: no control sticks out of its
// card and no label out of its control (scrollWidth against clientWidth: a label can overflow a
// button whose box still fits the card), the page never scrolls sideways, and the loss chart
// stays readable on a phone (a plot of useful height, a legend of at most two lines).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { screenshotDir, until } from './harness.mjs';
import { LONG, waitForIteration, waitForFigures, trainerPageFixture } from './trainer-helpers.mjs';

// The widths the issue names, the ends of the range, and the band where the Sample button's
// label once overflowed (1240-1350 px).
const WIDTHS = [320, 375, 768, 1024, 1280, 1440, 1920, ...Array.from({ length: 12 }, (_, i) => 1240 + 10 * i)];

const fixture = trainerPageFixture({ width: 1440, prepare: async (page) => {
  // Every card filled in as a reader sees it: a model training, figures, a sample, an inspection.
  await waitForIteration(page, 1);
  await until(page, () => Number(document.getElementById('sample-text').dataset.count) >= 1, null);
  await waitForFigures(page, (f) => Number.isFinite(f.valLoss), 'a validation loss');
} });
let page;
before(async () => ({ page } = await fixture.ready));

/**
 * What overflows at the current width: per card, the card itself (scrollWidth > clientWidth),
 * any control whose box leaves the card's, any control or label whose content is wider than its
 * box (unless the element scrolls on purpose: text areas, sample boxes), and the page's width.
 */
function overflows() {
  const problems = [];
  const text = (el) => el.textContent.replace(/\s+/g, ' ').trim().slice(0, 30);
  const name = (el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${text(el) ? ` “${text(el)}”` : ''}`;
  const scrolls = (el) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(el).overflowX);
  const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  for (const card of document.querySelectorAll('.card')) {
    const where = card.querySelector('h2')?.textContent ?? card.className;
    if (card.scrollWidth > card.clientWidth + 1) {
      problems.push(`${where}: the card's content is ${card.scrollWidth} px wide in ${card.clientWidth} px`);
    }
    const box = card.getBoundingClientRect();
    const controls = card.querySelectorAll('button, input, select, textarea, output, label, .field, legend, h2, h3, dd, dt');
    for (const el of controls) {
      if (!visible(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.left < box.left - 1 || r.right > box.right + 1) {
        problems.push(`${where}: ${name(el)} reaches ${Math.round(r.left - box.left)}..${Math.round(r.right - box.left)}` +
          ` px of a ${Math.round(box.width)} px card`);
      }
      const inline = getComputedStyle(el).display === 'inline';
      if (!inline && !scrolls(el) && el.type !== 'range' && el.scrollWidth > el.clientWidth + 1) {
        problems.push(`${where}: ${name(el)} holds ${el.scrollWidth} px of content in ${el.clientWidth} px`);
      }
    }
  }
  for (const el of document.querySelectorAll('.topbar button, .topbar .status, .notice button')) {
    if (visible(el) && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`header: ${name(el)} holds ${el.scrollWidth} px of content in ${el.clientWidth} px`);
    }
  }
  const pageWidth = document.documentElement.scrollWidth;
  if (pageWidth > innerWidth) problems.push(`the page is ${pageWidth} px wide in a ${innerWidth} px window`);
  return problems;
}

test('no control overflows its card and no label its control, from 320 to 1920 px', { timeout: LONG }, async () => {
  const found = {};
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 1000 });
    // Two frames: the resize observers (chart, inspect view) have redrawn.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const problems = await page.evaluate(overflows);
    if (problems.length) found[width] = problems;
  }
  assert.deepEqual(found, {}, 'overflow per window width');
});

test('the loss chart is readable on a phone: a tall enough plot, a legend of at most two lines', { timeout: LONG },
  async () => {
    for (const width of [320, 375, 768, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      // The chart follows its box through a ResizeObserver: wait for it to have the new width.
      await until(page, () => {
        const root = document.querySelector('#chart .uplot');
        return root && Math.abs(root.offsetWidth - document.getElementById('chart').clientWidth) <= 1;
      }, null);
      const chart = await page.evaluate(() => {
        const over = document.querySelector('#chart .u-over').getBoundingClientRect();
        const legend = document.querySelector('#chart .u-legend');
        const rows = new Set([...legend.querySelectorAll('.u-series')].filter((s) => s.offsetParent)
          .map((s) => Math.round(s.getBoundingClientRect().top)));
        const box = document.getElementById('chart').getBoundingClientRect();
        const root = document.querySelector('#chart .uplot').getBoundingClientRect();
        return { plotHeight: over.height, plotWidth: over.width, boxWidth: box.width, legendLines: rows.size,
          fits: root.bottom <= box.bottom + 1 };
      });
      console.log(`# chart at ${width} px: ${JSON.stringify(chart)}`);
      assert.ok(chart.plotHeight >= 200, `at ${width} px the plot is ${chart.plotHeight} px tall`);
      // The axes take what their labels need; the rest is the plot's.
      assert.ok(chart.plotWidth >= chart.boxWidth * 0.6, `at ${width} px the plot is ${chart.plotWidth} of ${chart.boxWidth} px`);
      assert.ok(chart.legendLines <= 2, `at ${width} px the legend takes ${chart.legendLines} lines`);
      assert.ok(chart.fits, `at ${width} px the chart (with its legend) fits its box`);
    }
    await page.setViewportSize({ width: 375, height: 800 });
    await page.locator('.chart-card').screenshot({ path: path.join(screenshotDir, 'chart-card-375.png') });
  });
