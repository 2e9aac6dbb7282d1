// The page's views, made once: the loss chart, the figures, the samples, the inspect card and the
// best-so-far line (with the overfitting notice, whose buttons act through the page's modules).
import { LossChart } from '../views/chart.js';
import { Figures } from '../views/figures.js';
import { SamplesView } from '../views/samples-view.js';
import { InspectView } from '../views/inspect-view.js';
import { BestView } from '../views/best-view.js';
import { WhyView } from '../views/why-view.js';
import { CALL } from '../shared/worker-protocol.js';
import { $, page, loss } from './state.js';
import { failed } from './status.js';
import { call } from './worker-life.js';
import { restoreBest, raiseDropout } from './models.js';

export const chart = new LossChart($('chart'));
export const figures = new Figures();
export const samples = new SamplesView();
export const inspector = new InspectView({ call: (...args) => call(...args) });
export const why = new WhyView($('why'), { call: (...args) => call(...args), inspector, bits: () => page.bits });
export const best = new BestView({
  loss: (nats) => loss(nats),
  running: () => page.running,
  dropout: () => page.model?.modelConfig.dropout ?? 0,
  pause: () => call(CALL.pause).catch((e) => failed('overfit', 'Pause failed.', e)),
  restoreBest: () => restoreBest(),
  setDropout: (p) => raiseDropout(p),
});
