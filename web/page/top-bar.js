// The bar at the top of the page: the title, Train, Pause, Resume, Reset and the status. It sticks
// while the page scrolls (style.css), on a phone with its title scrolled away, and what the page
// brings into view (a message, a field's error, a card) lands below the part that stays. Beside
// the title, "Use your own text" leads from the first screen to the Data card.
import { $ } from './state.js';

/**
 * The bar's height (--bar-height) and the part above its controls (--bar-title, which scrolls
 * away on a phone): style.css sticks the bar and sets scroll-padding-top from them. Both follow
 * the bar's size (a window resized, controls that wrap below the title).
 */
function measureBar() {
  const bar = document.querySelector('.topbar');
  const controls = bar.querySelector('.controls');
  const root = document.documentElement.style;
  new ResizeObserver(() => {
    // A few px of the bar's padding stay above the buttons.
    const title = controls.getBoundingClientRect().top - bar.getBoundingClientRect().top - 6;
    root.setProperty('--bar-height', `${bar.offsetHeight}px`);
    root.setProperty('--bar-title', `${Math.max(0, title)}px`);
  }).observe(bar);
}

/** "Use your own text": to the Data card's text area, focused. */
function toOwnText(e) {
  e.preventDefault();
  const smooth = !matchMedia('(prefers-reduced-motion: reduce)').matches;
  $('text').focus({ preventScroll: true });
  $('data-card').scrollIntoView({ block: 'start', behavior: smooth ? 'smooth' : 'auto' });
}

export function initTopBar() {
  measureBar();
  $('own-text').addEventListener('click', toOwnText);
}
