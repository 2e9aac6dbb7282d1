// Model files: naming and downloading what the worker saved, and checking what the reader picks.
import { formatBytes } from '../shared/format.js';
import { shapeLabel } from '../settings/hidden-sizes.js';

/**
 * charrnn-gru-2x192-iter1234(-checkpoint|-f16).safetensors, or with per-layer hidden sizes
 * charrnn-lstm-256-128-iter1234.safetensors: says what is inside.
 */
export function modelFileName({ modelConfig, iteration }, checkpoint, { f16 = false } = {}) {
  const kind = (checkpoint ? '-checkpoint' : '') + (f16 ? '-f16' : '');
  return `charrnn-${modelConfig.cell}-${shapeLabel(modelConfig)}-iter${iteration}${kind}.safetensors`;
}

/** Offers bytes as a file download. */
export function download(bytes, fileName) {
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own copy once it started; give it a moment before letting go.
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

/** Throws when a picked file is too large to be a model this page can train (it is not read here). */
export function checkModelFile(file, maxBytes) {
  if (file.size > maxBytes) {
    throw new Error(`“${file.name}” is larger than any model this page can train (${formatBytes(maxBytes)}).`);
  }
}
