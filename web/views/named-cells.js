// "Cells by name" in the Inside the network card: the properties of the seeds' pictures (inside
// quotes, inside a comment, bracket depth, ...; INSPECT.namedCells), each a toggle button naming
// its best unit in the engine's ranking and its r. Pressing one colours the text by that unit.

/** "2:35 c": layer and unit counted from 1, and the state. */
export const unitLabel = ({ layer, unit, cellState }) => `${layer + 1}:${unit + 1} ${cellState ? 'c' : 'h'}`;

/** "r = −0.33". */
export const rLabel = (r) => `r = ${r >= 0 ? '+' : '−'}${Math.abs(r).toFixed(2)}`;

/**
 * The buttons, one per name: rankings (the engine's, or null before the first) give each its best
 * unit. pressed: the name shown; onPick(name) when one is pressed.
 */
export function namedCellButtons(names, rankings, pressed, onPick) {
  return names.map((name) => {
    const ranking = rankings?.find((r) => r.property === name);
    const best = ranking?.varies ? ranking.best[0] : null;
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'named-cell';
    b.dataset.property = name;
    b.setAttribute('aria-pressed', String(name === pressed && !!best));
    const title = document.createElement('span');
    title.className = 'named-cell-name';
    title.textContent = name;
    const unit = document.createElement('span');
    unit.className = 'named-cell-unit';
    if (best) {
      b.dataset.neuron = `${best.layer}:${best.unit}:${best.cellState ? 'c' : 'h'}`;
      b.dataset.r = String(best.r);
      unit.textContent = `${unitLabel(best)} · ${rLabel(best.r)}`;
      b.title = `The unit that tracks “${name}” best here: layer ${best.layer + 1}, neuron ${best.unit + 1}, ` +
        `${best.cellState ? 'cell state tanh(c)' : 'hidden state h'}`;
      b.addEventListener('click', () => onPick(name));
    } else {
      unit.textContent = rankings ? 'does not vary here' : '…';
      b.disabled = true;
    }
    b.append(title, unit);
    return b;
  });
}

/** The best unit of `name` in the rankings, as { layer, unit, cellState }, or null. */
export function bestUnitOf(rankings, name) {
  const ranking = rankings?.find((r) => r.property === name);
  if (!ranking?.varies || !ranking.best.length) return null;
  const { layer, unit, cellState } = ranking.best[0];
  return { layer, unit, cellState };
}
