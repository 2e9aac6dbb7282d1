// "Find interpretable neurons" in the Inside the network card: per property of the text (the
// engine's ranking), its best units with their correlation r, each one a button that shows it.
import { neuronName } from '../shared/inspect-scale.js';

/** The list's blocks, one per property; onPick(neuron) when a unit's button is pressed. */
export function rankingBlocks(rankings, onPick) {
  return rankings.map((ranking) => {
    const block = document.createElement('div');
    block.className = 'found-property';
    const title = document.createElement('h4');
    title.textContent = ranking.property;
    const description = document.createElement('p');
    description.className = 'found-description';
    description.textContent = ranking.description;
    block.append(title, description);
    if (!ranking.varies) {
      const none = document.createElement('p');
      none.className = 'found-none';
      none.textContent = 'Does not vary in this text, so no neuron can track it.';
      block.append(none);
      return block;
    }
    const list = document.createElement('ul');
    for (const score of ranking.best) {
      const neuron = { layer: score.layer, unit: score.unit, cellState: score.cellState };
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'found-neuron';
      b.dataset.neuron = `${score.layer}:${score.unit}:${score.cellState ? 'c' : 'h'}`;
      b.dataset.r = String(score.r);
      const name = document.createElement('span');
      name.textContent = neuronName(neuron, { short: true });
      const rv = document.createElement('span');
      rv.className = 'found-r';
      rv.textContent = `r = ${score.r >= 0 ? '+' : '−'}${Math.abs(score.r).toFixed(2)}`;
      b.append(name, rv);
      b.addEventListener('click', () => onPick(neuron));
      li.append(b);
      list.append(li);
    }
    block.append(list);
    return block;
  });
}
