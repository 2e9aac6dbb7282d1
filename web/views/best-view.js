// The best model so far (lowest validation loss; the engine keeps its weights beside the latest)
// and the overfitting notice: the Models card's "Best so far" line, and a message with three ways
// out when validation loss has risen for a while as training loss fell (the rule: overfit.js).
import { overfitting, raisedDropout } from './overfit.js';
import { showMessage, closeMessage } from './messages.js';
import { formatNumber } from '../shared/format.js';
import { testData } from '../page/test-hooks.js';
import { NO_TEXT_HELD_OUT } from './held-out.js';
import { REPORT } from '../shared/worker-protocol.js';

const $ = (id) => document.getElementById(id);

export class BestView {
  #points = []; // one per validation: { iteration, valLoss, trainLoss }
  #best = null; // { iteration, valLoss } as the engine reported it
  #noticed = null; // the best iteration the notice was shown for: once per best
  #trainLoss = NaN; // the smoothed training loss, latest
  #heldOut = true; // whether the model holds text out: without, there is no best by validation loss
  #actions;

  /**
   * actions: { loss(nats) -> text, pause(), restoreBest() -> best, setDropout(p), dropout() -> the
   * model's dropout now, running() -> whether training runs }
   */
  constructor(actions) {
    this.#actions = actions;
  }

  /** A new model (or none): its best, if a file or an autosave brought one; heldOut: whether it holds text out. */
  reset(best = null, { heldOut = true } = {}) {
    this.#heldOut = heldOut;
    this.#points = [];
    this.#noticed = null;
    this.#trainLoss = NaN;
    this.#setBest(best);
    closeMessage('overfit');
  }

  get best() { return this.#best; }

  trainLoss(smoothed) {
    if (Number.isFinite(smoothed)) this.#trainLoss = smoothed;
  }

  onReport(m) {
    if (m.type === REPORT.best) this.#setBest({ iteration: m.iteration, valLoss: m.valLoss });
    if (m.type === REPORT.val) this.#onValidation(m);
  }

  /** The line in the Models card; redrawn when the unit changes. */
  redraw() {
    this.#setBest(this.#best);
  }

  #setBest(best) {
    this.#best = best;
    const line = $('best-status');
    if (!this.#heldOut) {
      line.textContent = `Best so far: none kept (${NO_TEXT_HELD_OUT}, so no validation loss to choose by). ` +
        'Save model saves the latest weights.';
    } else {
      line.textContent = best ? `Best so far: iteration ${formatNumber(best.iteration)}, validation loss ` +
        `${this.#actions.loss(best.valLoss)} (kept beside the latest; Save model offers both).` : '';
    }
    testData(line, { iteration: best?.iteration, valLoss: best?.valLoss });
  }

  #onValidation(m) {
    this.#points.push({ iteration: m.iteration, valLoss: m.valLoss, trainLoss: this.#trainLoss });
    if (this.#points.length > 400) this.#points.splice(0, 200); // the rule looks at the recent past
    const o = overfitting(this.#points);
    if (!o || !this.#actions.running() || this.#noticed === o.bestIteration) return;
    this.#noticed = o.bestIteration;
    this.#show(o);
  }

  #show(o) {
    const { loss } = this.#actions;
    const dropout = this.#actions.dropout();
    const raised = raisedDropout(dropout);
    const actions = [
      { label: 'Pause training', onClick: () => this.#actions.pause() },
      { label: `Go back to the best weights (iteration ${formatNumber(o.bestIteration)})`, primary: true,
        onClick: () => this.#actions.restoreBest() },
    ];
    if (raised > dropout) {
      actions.push({ label: `Raise dropout to ${raised}`, onClick: () => this.#actions.setDropout(raised) });
    }
    const note = showMessage({ id: 'overfit', kind: 'warning', title: 'The model is overfitting.',
      text: `Validation loss has risen from ${loss(o.bestValLoss)} at iteration ${formatNumber(o.bestIteration)} to ` +
        `${loss(o.valLoss)} over the last ${o.validationsSince} validations, while training loss fell to ` +
        `${loss(o.trainLoss)} (from ${loss(o.trainLossBefore)}): it is learning the training text by heart. The best ` +
        'weights are kept (Save model offers them).', actions });
    testData(note.element, { bestIteration: o.bestIteration });
  }
}
