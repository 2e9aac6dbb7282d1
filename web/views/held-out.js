// How the page speaks of a model that holds no text out (Validation: None, as the presets Names and
// Sentences to memorise choose: every line is training data, to be memorised). Such a model has no
// validation loss; the figures, the chart, the Models card and the messages say so, and why, in the
// same words, instead of a "–" or "not measured" that reads like a fault or a wait.
export const NO_TEXT_HELD_OUT = 'no text held out';

/** Why there is no validation loss, as a sentence. */
export const NO_VALIDATION_REASON = 'This model holds no text out: all of its text is training data (for ' +
  'memorising), so there is no validation loss.';

/**
 * A model's validation loss in a message: "validation loss 1.2345 nats/char" (loss(nats) writes
 * it) when it holds text out, "no validation loss (no text held out)" when it holds none.
 */
export function validationLossPhrase(nats, { heldOut, loss }) {
  return heldOut ? `validation loss ${loss(nats)}` : `no validation loss (${NO_TEXT_HELD_OUT})`;
}
