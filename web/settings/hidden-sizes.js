// The Settings card's Hidden size: one number for every layer ("192") or one per layer, bottom
// first ("256, 128"), read into the engine's model settings ({ hiddenSize, hiddenSizes }) and
// written back; and how a model's sizes read in its name. The ranges are the engine's to check
// (core/model/config.cpp); here only the form of the text and the count against Layers.

/**
 * The field's text as { hiddenSize, hiddenSizes } for a model of `layers` layers: hiddenSizes is
 * [] for one size (or equal ones), else one per layer. Throws an Error that says what to write.
 */
export function parseHiddenSizes(text, layers) {
  const parts = String(text).split(',').map((p) => p.trim());
  if (parts.some((p) => !/^\d{1,9}$/.test(p) || Number(p) < 1)) {
    throw new Error(`Write the hidden size as one whole number for every layer (e.g. 128) or one per layer, ` +
      `separated by commas (e.g. 256, 128); it says “${String(text).trim()}”.`);
  }
  const sizes = parts.map(Number);
  if (sizes.length > 1 && sizes.length !== layers) {
    throw new Error(`The hidden size lists ${sizes.length} sizes for ${layers} layer${layers === 1 ? '' : 's'}: ` +
      `give one size for every layer, or exactly ${layers} separated by commas.`);
  }
  const uniform = sizes.every((h) => h === sizes[0]);
  return { hiddenSize: sizes[0], hiddenSizes: uniform ? [] : sizes };
}

/** Each layer's size, bottom first, of a model's settings ({ layers, hiddenSize, hiddenSizes }). */
export function layerSizes({ layers, hiddenSize, hiddenSizes = [] }) {
  return hiddenSizes.length ? [...hiddenSizes] : Array.from({ length: layers }, () => hiddenSize);
}

/** What the field shows for a model's settings: "192", or "256, 128". */
export function formatHiddenSizes(modelConfig) {
  return modelConfig.hiddenSizes?.length ? modelConfig.hiddenSizes.join(', ') : String(modelConfig.hiddenSize);
}

/** The shape in a model's name: "2x192" for a uniform model, "256-128" for per-layer sizes. */
export function shapeLabel(modelConfig) {
  return modelConfig.hiddenSizes?.length ? modelConfig.hiddenSizes.join('-')
    : `${modelConfig.layers}x${modelConfig.hiddenSize}`;
}

/** For sentences: "2 × 192" or "2 layers of 256, 128". */
export function shapeText(modelConfig) {
  return modelConfig.hiddenSizes?.length ? `${modelConfig.layers} layers of ${modelConfig.hiddenSizes.join(', ')}`
    : `${modelConfig.layers} × ${modelConfig.hiddenSize}`;
}
