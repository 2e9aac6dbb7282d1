// The Sample controls: temperature, length and priming text (sent to the worker for its periodic
// samples as they change), and Sample, which streams a sample now.
import { CALL } from '../shared/worker-protocol.js';
import { SAMPLING } from '../settings/defaults.js';
import { closeMessage } from '../views/messages.js';
import { $, page } from './state.js';
import { failed } from './status.js';
import { samples } from './views.js';
import { call } from './worker-life.js';

let streamId = 0;

function temperature() {
  return Number(Number($('temperature').value).toFixed(2));
}

/** The sample length asked for; the default when the box is empty or not a number. */
function sampleLength() {
  const raw = $('sample-length').value.trim();
  const n = Math.round(Number(raw));
  return raw !== '' && Number.isFinite(n) ? Math.min(SAMPLING.maxLength, Math.max(1, n)) : SAMPLING.length;
}

/** { temperature, prime, length } as the controls show them. */
export function samplingSettings() {
  return { temperature: temperature(), prime: $('prime').value, length: sampleLength() };
}

export function initSampleControls() {
  const t = $('temperature');
  t.min = String(SAMPLING.minTemperature);
  t.max = String(SAMPLING.maxTemperature);
  t.step = String(SAMPLING.temperatureStep);
  t.value = String(SAMPLING.temperature);
  $('sample-length').value = String(SAMPLING.length);
  $('sample-length').max = String(SAMPLING.maxLength);
  $('prime').value = SAMPLING.prime;
  const showTemperature = () => {
    $('temperature-value').textContent = temperature().toFixed(2);
    t.setAttribute('aria-valuetext', temperature().toFixed(2));
  };
  showTemperature();
  let timer = 0;
  const send = () => {
    clearTimeout(timer);
    timer = setTimeout(() => page.worker?.remote[CALL.setSampling](samplingSettings()).catch(() => {}), 150);
  };
  t.addEventListener('input', () => {
    showTemperature();
    send();
  });
  $('prime').addEventListener('input', send);
  $('sample-length').addEventListener('change', () => {
    $('sample-length').value = String(sampleLength());
    send();
  });
  $('sample').addEventListener('click', sampleNow);
  $('prime').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !$('sample').disabled) sampleNow();
  });
}

async function sampleNow() {
  closeMessage('sample');
  const id = ++streamId;
  try {
    const result = await call(CALL.sample, { id, ...samplingSettings() });
    samples.endStream(result);
  } catch (e) {
    samples.abortStream();
    failed('sample', 'No sample.', e);
  }
}
