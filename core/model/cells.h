// The recurrent cells as the rest of the engine sees them: one table entry per cell type (the
// only place that switches on CellType), and the buffers every cell's forward/backward pair reads
// and writes. Each cell lives in its own file pair under core/cells/ with its equations and the
// backward derivation beside the code.
//
// Shapes: B = batch (streams), T = time steps, I = layer input size, H = hidden size,
// G = gate blocks per step (cell.gates). All buffers are time-major: row t*B + b.
//
// Adding a cell type: a file pair core/cells/<name>.{h,cpp} defining a `Cell`, its value in the
// CellType enum (config.h), and one line in kCells (cells.cpp). Everything else (parameter
// layout, model files, training, sampling, inspection, bindings, CLI) follows from the table.
#pragma once
#include <cstddef>

#include "model/config.h"

namespace charrnn {

struct LayerShape {
  int T, B, I, H;
};

struct LayerWeights {
  const float* wx;  // [I, G*H]
  const float* wh;  // [H, G*H]
  const float* b;  // [G*H]
  const float* bhn;  // [H], only for cells with Cell::has_bhn (GRU); null otherwise
};

struct LayerGrads {
  float* wx;
  float* wh;
  float* b;
  float* bhn;  // null unless Cell::has_bhn
};

// What a layer's forward pass reads and writes, and keeps for backward.
struct LayerActivations {
  const float* x;  // [T*B, I] the layer's input
  float* hs;  // [(T+1)*B, H] hs[0..B) is the carried-in state h0, then h1..hT
  float* cs;  // [(T+1)*B, H] the cell state (Cell::has_cell_state), cs[0..B) = c0; null otherwise
  float* gates;  // [T*B, G*H] in: nothing; out: the gate values after their nonlinearities
  float* cache;  // [Cell::cache_floats(T, B, H)] what the cell itself keeps for backward
  float* wh_packed;  // [recurrent_pack_floats(cell, H, B)] scratch for the packed recurrent weights
};

// Scratch of a layer's backward pass.
struct LayerBackwardBuffers {
  float* dh;  // [T*B, H] in: d loss / d h1..hT from above; consumed (carries dh_prev back in time)
  float* dgates;  // [T*B, G*H] out: d loss / d gate pre-activations (the input projection's gradient)
  float* scratch;  // [Cell::backward_scratch_floats(T, B, H)] the cell's own
  float* dx;  // [T*B, I] out: d loss / d x (overwritten); may be null
};

struct Cell {
  CellType type;
  const char* name;  // as in settings and model files: "lstm"
  int gates;  // G: H-wide blocks of the input and recurrent projections
  bool has_cell_state;  // carries a second state c beside h (LSTM)
  bool has_bhn;  // has the extra hidden bias inside the reset gate's product (GRU)
  // Sets the bias [G*H] of a freshly initialised layer where the cell wants more than the
  // uniform initialisation (the LSTM's forget gate); may be null.
  void (*init_bias)(float* b, int H);
  size_t (*cache_floats)(int T, int B, int H);
  size_t (*backward_scratch_floats)(int T, int B, int H);
  // Forward over T steps, from hs[0] (and cs[0]).
  void (*forward)(const LayerShape& s, const LayerWeights& w, const LayerActivations& a);
  // Backward over T steps; weight gradients are accumulated into g. The carried-in state h0/c0
  // receives no gradient (truncated BPTT).
  void (*backward)(const LayerShape& s, const LayerWeights& w, const LayerActivations& a,
                   const LayerBackwardBuffers& d, const LayerGrads& g);
  // The first `sigmoid_gates` of the G blocks of LayerActivations::gates are gates in (0, 1) after
  // forward (the LSTM's input, forget, output; the GRU's reset, update), named here for the gate
  // saturation figure; the blocks after them are candidates (tanh) or, for the RNN, h itself.
  int sigmoid_gates;
  const char* const* gate_names;  // [sigmoid_gates]
};

// The table entry of a cell type; throws charrnn::Error for a value outside the enum (a
// configuration from a hostile file or a bad setting).
const Cell& cell_of(CellType type);
// The cell named `name`, or null.
const Cell* find_cell(const char* name);
// "lstm, gru or rnn": the names, for messages.
const char* cell_names();

// Floats of LayerActivations::wh_packed for B rows (0 where the products do not pack: natively,
// and for fewer rows than the WASM kernels' tile, as when sampling one stream).
size_t recurrent_pack_floats(const Cell& cell, int H, int B);

}  // namespace charrnn
