"""Our char-rnn model as a PyTorch module, and our .safetensors model files read and written.

    from charrnn_torch import load, save
    model, vocab = load("model.safetensors")     # any model or checkpoint of the CLI, page or widget
    ...                                          # train it, score text with log_probs(), move it to a GPU
    save(model, vocab, "out.safetensors")        # `charrnn sample`, the page and the widget load it

The module is the model the C++ core computes (core/model/cells.cpp, core/model/model.cpp): an embedding, a
stack of torch.nn.LSTM / GRU / RNN(tanh) layers, dropout between layers and before the output
layer (training only), and a linear output layer. Only the storage differs, and TENSOR_TABLE
below is the one place that says how: conversions both ways are exact (float16 files hold
float16-rounded weights, nothing else is rounded).

Needs numpy and torch only (Debian: python3-numpy, python3-torch); the safetensors container is
read and written here, in the core's own byte layout, so a file loaded and saved again is the
same file, byte for byte.
"""

from __future__ import annotations

import json
import math
import os
import re
import struct

import numpy as np
import torch
from torch import nn

FORMAT = "charrnn"
FORMAT_VERSION = "1"
CELLS = ("lstm", "gru", "rnn")
GATE_COUNT = {"lstm": 4, "gru": 3, "rnn": 1}

# Our gate blocks inside G*H are LSTM (i, f, o, g), GRU (r, z, n), RNN (h); PyTorch's are LSTM
# (i, f, g, o), GRU (r, z, n), RNN (h). PyTorch's block k holds our block TORCH_GATES_FROM_OURS[cell][k].
TORCH_GATES_FROM_OURS = {"lstm": (0, 1, 3, 2), "gru": (0, 1, 2), "rnn": (0,)}

# THE mapping between our tensors and PyTorch's, for every cell: (our name, our shape, PyTorch
# parameter, its shape, how). {l} is the layer, H its hidden size, I its input size (E for layer 0,
# the hidden size of the layer below above), G the gate count, V E the vocabulary and embedding
# sizes; output.w's H is the top layer's. A model with per-layer hidden sizes (hidden_sizes) is a
# stack of one-layer modules whose parameters are rnn.{l}.<name>_l0 instead (torch_name()).
#   copy       same layout
#   T          transposed
#   gates.T    transposed, and the G*H gate blocks reordered (TORCH_GATES_FROM_OURS)
#   gates+hh   gate blocks reordered; PyTorch's second bias bias_hh_l{l} is held at zero outside
#              the GRU's n block (saving adds whatever it holds there into ours: sums are exact
#              in the maths, one float rounding in practice)
#   hh.n       GRU only: our bhn, the hidden bias inside r * (...), is bias_hh_l{l}[2H:3H]
TENSOR_TABLE = (
    ("embedding",   "[V, E]",   "embedding.weight",   "[V, E]",   "copy"),
    ("layer{l}.wx", "[I, G*H]", "rnn.weight_ih_l{l}", "[G*H, I]", "gates.T"),
    ("layer{l}.wh", "[H, G*H]", "rnn.weight_hh_l{l}", "[G*H, H]", "gates.T"),
    ("layer{l}.b",  "[G*H]",    "rnn.bias_ih_l{l}",   "[G*H]",    "gates+hh"),
    ("layer{l}.bhn", "[H]",     "rnn.bias_hh_l{l}",   "[G*H]",    "hh.n"),
    ("output.w",    "[H, V]",   "output.weight",      "[V, H]",   "T"),
    ("output.b",    "[V]",      "output.bias",        "[V]",      "copy"),
)


class CharRnnFormatError(ValueError):
    """A file this module (and the core) cannot use; the message says why, in the core's words."""


def _bad_file(why):
    return CharRnnFormatError(f"This is not a valid model file: {why}. Choose a .safetensors file saved by this trainer.")


def _bad_model(why):
    return CharRnnFormatError(f"This model file cannot be used: {why}.")


# ------------------------------------------------------------------------------------------------
# The model


def layer_sizes(config):
    """Each layer's hidden size, bottom first, of a model_config (hidden_sizes, else hidden_size)."""
    return list(config.get("hidden_sizes") or [config["hidden_size"]] * config["layers"])


def torch_name(config, theirs, l):
    """The PyTorch parameter a TENSOR_TABLE entry names for layer l (None: not a layer's)."""
    if l is None or not config.get("hidden_sizes"):
        return theirs.format(l=l)
    return theirs.replace("rnn.", f"rnn.{l}.").format(l=0)  # a stack of one-layer modules


class CharRNN(nn.Module):
    """Our model. forward(x [T, B] long, state) -> (logits [T, B, V], state), time-major like the core.

    hidden_sizes: one hidden size per layer, bottom first (e.g. [256, 128]); None (or equal sizes)
    for every layer at hidden_size. Such a model is a stack of one-layer PyTorch modules (nn.LSTM
    and its kin have one size for all layers), its state a list with one entry per layer."""

    def __init__(self, cell="lstm", vocab_size=2, embed_size=32, hidden_size=128, layers=2, dropout=0.0,
                 hidden_sizes=None):
        super().__init__()
        if cell not in CELLS:
            raise ValueError(f"Unknown cell type '{cell}': use lstm, gru or rnn.")
        if hidden_sizes:
            if len(hidden_sizes) != layers:
                raise ValueError(f"There are {len(hidden_sizes)} hidden sizes for {layers} layers: give one hidden "
                                 "size for every layer, or one per layer (as many as the layers).")
            hidden_size = hidden_sizes[0]
        for name, value in (("vocab_size", vocab_size), ("embed_size", embed_size),
                            ("hidden_size", hidden_size), ("layers", layers), *(("hidden_sizes", h) for h in hidden_sizes or ())):
            if int(value) != value or value < (2 if name == "vocab_size" else 1):
                raise ValueError(f"{name} must be a whole number of at least {2 if name == 'vocab_size' else 1}.")
        if not 0.0 <= dropout <= 0.95:
            raise ValueError("The dropout must be between 0 and 0.95.")
        self.cell, self.vocab_size, self.embed_size = cell, int(vocab_size), int(embed_size)
        self.hidden_size, self.layers, self.dropout = int(hidden_size), int(layers), float(dropout)
        sizes = [int(h) for h in hidden_sizes] if hidden_sizes else [self.hidden_size] * self.layers
        # Equal sizes are a uniform model, as the core stores them.
        self.hidden_sizes = sizes if len(set(sizes)) > 1 else None
        self.embedding = nn.Embedding(self.vocab_size, self.embed_size)
        rnn_class = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[cell]
        extra = {"nonlinearity": "tanh"} if cell == "rnn" else {}
        if self.hidden_sizes:
            inputs = [self.embed_size] + sizes[:-1]
            self.rnn = nn.ModuleList(rnn_class(i, h, num_layers=1, **extra) for i, h in zip(inputs, sizes))
            self.layer_dropout = nn.Dropout(self.dropout)  # on the input of layers 1.., as nn.LSTM's
        else:
            # nn.LSTM's dropout acts on every layer's output but the last: our dropout on the input
            # of layers 1.. (it warns, and does nothing, with one layer).
            self.rnn = rnn_class(self.embed_size, self.hidden_size, num_layers=self.layers,
                                 dropout=self.dropout if self.layers > 1 else 0.0, **extra)
        self.output_dropout = nn.Dropout(self.dropout)
        self.output = nn.Linear(sizes[-1], self.vocab_size)
        self._hold_second_bias()

    def _param(self, kind, l):
        """Layer l's PyTorch parameter `kind` (weight_ih, bias_hh, ...)."""
        return self.get_parameter(torch_name(self.config, f"rnn.{kind}_l{{l}}", l))

    def _hold_second_bias(self):
        """Our cells have one bias per gate (plus the GRU's bhn): PyTorch's bias_hh stays at zero
        where ours has none, so the module trains exactly our parameters."""
        for l, H in enumerate(layer_sizes(self.config)):
            bias_hh = self._param("bias_hh", l)
            if self.cell == "gru":
                keep = torch.zeros_like(bias_hh)
                keep[2 * H:] = 1.0
                bias_hh.register_hook(lambda grad, keep=keep: grad * keep.to(grad.device, grad.dtype))
            else:
                bias_hh.requires_grad_(False)

    @property
    def config(self):
        """The model_config of our files."""
        config = {"cell": self.cell, "vocab_size": self.vocab_size, "embed_size": self.embed_size,
                  "hidden_size": self.hidden_size, "layers": self.layers, "dropout": self.dropout}
        if self.hidden_sizes:  # only per-layer models store it, as the core
            config["hidden_sizes"] = list(self.hidden_sizes)
        return config

    def reset_parameters(self, seed=None):
        """The core's initialisation (core/model/model.cpp): weights and biases uniform in +-1/sqrt(H) (H
        of their layer; the output layer's is the top layer's), the embedding in +-1, LSTM
        forget-gate biases 1; bias_hh zero. Not the core's numbers."""
        gen = torch.Generator()
        if seed is not None:
            gen.manual_seed(int(seed))
        sizes = layer_sizes(self.config)
        with torch.no_grad():
            for name, p in self.named_parameters():
                if "bias_hh" in name:
                    p.zero_()
                    continue
                if name == "embedding.weight":
                    scale = 1.0
                else:
                    layer = int(name.split(".")[1]) if self.hidden_sizes and name.startswith("rnn.") else -1
                    scale = 1.0 / math.sqrt(sizes[layer])
                p.copy_((torch.rand(p.shape, generator=gen) * 2 - 1) * scale)
            if self.cell == "lstm":
                for l, H in enumerate(sizes):
                    self._param("bias_ih", l)[H:2 * H] = 1.0  # PyTorch's f block, as ours
        return self

    def initial_state(self, batch, device=None, dtype=None):
        """Zeros: [L, B, H] (a pair for an LSTM); per-layer sizes: a list of one-layer states."""
        p = self.output.weight

        def zeros(layers, H):
            z = torch.zeros(layers, batch, H, device=device or p.device, dtype=dtype or p.dtype)
            return (z, z.clone()) if self.cell == "lstm" else z

        if self.hidden_sizes:
            return [zeros(1, H) for H in self.hidden_sizes]
        return zeros(self.layers, self.hidden_size)

    def forward(self, x, state=None):
        h = self.embedding(x)
        if self.hidden_sizes:
            state = state if state is not None else [None] * self.layers
            new_state = []
            for l, (rnn, s) in enumerate(zip(self.rnn, state)):
                h, s = rnn(self.layer_dropout(h) if l > 0 else h, s)
                new_state.append(s)
            state = new_state
        else:
            h, state = self.rnn(h, state)
        return self.output(self.output_dropout(h)), state


def detach_state(state):
    if isinstance(state, list):  # per-layer hidden sizes: one state per layer
        return [detach_state(s) for s in state]
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


# ------------------------------------------------------------------------------------------------
# The mapping, applied (driven by TENSOR_TABLE)


def our_tensor_shapes(config):
    """Our tensors, in the file's order, with their shapes (core/model/param_layout.cpp)."""
    cell, V, E, L = (config[k] for k in ("cell", "vocab_size", "embed_size", "layers"))
    sizes = layer_sizes(config)
    G = GATE_COUNT[cell]
    shapes = {}
    for ours, our_shape, _, _, how in TENSOR_TABLE:
        if how == "hh.n" and cell != "gru":
            continue
        for l in range(L) if "{l}" in ours else (None,):
            H = sizes[-1] if l is None else sizes[l]
            I = E if l == 0 else sizes[l - 1] if l is not None else None
            dims = {"V": V, "E": E, "H": H, "I": I, "G*H": G * H}
            shape = [dims[d.strip()] for d in our_shape.strip("[]").split(",")]
            shapes[ours.format(l=l)] = shape
    # Order as the core stores them: embedding, each layer's wx wh b (bhn), output.w, output.b.
    order = ["embedding"] + [f"layer{l}.{t}" for l in range(L) for t in ("wx", "wh", "b", "bhn")] + ["output.w", "output.b"]
    return {name: shapes[name] for name in order if name in shapes}


def _gate_perm(cell, H, inverse=False):
    order = TORCH_GATES_FROM_OURS[cell]
    if inverse:
        order = tuple(order.index(k) for k in range(len(order)))
    return np.concatenate([np.arange(k * H, (k + 1) * H) for k in order])


def ours_to_torch(config, tensors):
    """Our tensors (name -> float32 array) as a state_dict of CharRNN(**config)."""
    cell, L, sizes = config["cell"], config["layers"], layer_sizes(config)
    state = {}
    for ours, _, theirs, _, how in TENSOR_TABLE:
        for l in range(L) if "{l}" in ours else (None,):
            H = sizes[-1] if l is None else sizes[l]
            to_torch = _gate_perm(cell, H)
            name, target = ours.format(l=l), torch_name(config, theirs, l)
            if how == "hh.n":
                hh = np.zeros(GATE_COUNT[cell] * H, np.float32)
                if cell == "gru":
                    hh[2 * H:] = tensors[name]
                state[target] = hh
                continue
            a = tensors[name]
            if how == "copy":
                state[target] = a
            elif how == "T":
                state[target] = a.T
            elif how == "gates.T":
                state[target] = a.T[to_torch]
            elif how == "gates+hh":
                state[target] = a[to_torch]
    return {k: torch.from_numpy(np.ascontiguousarray(v, dtype=np.float32)) for k, v in state.items()}


def torch_to_ours(config, state_dict):
    """A CharRNN state_dict (or any nn.LSTM/GRU/RNN one with these names) as our tensors."""
    cell, L, sizes = config["cell"], config["layers"], layer_sizes(config)
    sd = {k: v.detach().to("cpu", torch.float32).numpy() for k, v in state_dict.items()}
    out = {}
    for ours, _, theirs, _, how in TENSOR_TABLE:
        for l in range(L) if "{l}" in ours else (None,):
            H = sizes[-1] if l is None else sizes[l]
            to_ours = _gate_perm(cell, H, inverse=True)
            name, source = ours.format(l=l), torch_name(config, theirs, l)
            if how == "hh.n":
                if cell == "gru":
                    out[name] = sd[source][2 * H:]
                continue
            a = sd[source]
            if how == "copy":
                out[name] = a
            elif how == "T":
                out[name] = a.T
            elif how == "gates.T":
                out[name] = a[to_ours].T
            elif how == "gates+hh":
                hh = sd[torch_name(config, "rnn.bias_hh_l{l}", l)].copy()
                if cell == "gru":
                    hh[2 * H:] = 0.0  # that block is bhn
                out[name] = (a + hh)[to_ours] if hh.any() else a[to_ours]
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in out.items()}


# ------------------------------------------------------------------------------------------------
# The safetensors container (core/files/safetensors.cpp's layout: sorted compact JSON header padded
# with spaces to 8 bytes, tensors in the order given)

_DTYPES = {"F32": np.dtype("<f4"), "F16": np.dtype("<f2")}
_MAX_HEADER = 64 << 20


def read_safetensors(data):
    """bytes -> (metadata dict, {name: (dtype, shape, memoryview of its bytes)}); checks like the core."""
    size = len(data)
    if size == 0:
        raise _bad_file("the file is empty")
    if size < 8:
        raise _bad_file(f"the file is only {size} bytes long")
    (header_len,) = struct.unpack("<Q", data[:8])
    if header_len > size - 8:
        raise _bad_file(f"its header claims {header_len} bytes but the file has only {size - 8} after the length "
                        "(truncated or not a safetensors file)")
    if header_len > _MAX_HEADER:
        raise _bad_file("its header is larger than 64 MiB")
    try:
        header = json.loads(bytes(data[8:8 + header_len]).decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _bad_file("its header is not valid JSON") from None
    if not isinstance(header, dict):
        raise _bad_file("its header is not a JSON object")
    body = memoryview(data)[8 + header_len:]
    metadata, tensors, spans = {}, {}, []
    for name, entry in header.items():
        if name == "__metadata__":
            if not isinstance(entry, dict):
                raise _bad_file("its __metadata__ is not an object")
            for k, v in entry.items():
                if not isinstance(v, str):
                    raise _bad_file(f"its __metadata__ entry '{k}' is not a string")
            metadata = dict(entry)
            continue
        if not isinstance(entry, dict):
            raise _bad_file(f"the entry '{name}' is not an object")
        dtype = entry.get("dtype")
        if not isinstance(dtype, str):
            raise _bad_file(f"the tensor '{name}' has no dtype")
        if dtype not in _DTYPES:
            raise _bad_file(f"the tensor '{name}' has dtype {dtype} (only F32 and F16 are read)")
        shape = entry.get("shape")
        if not isinstance(shape, list):
            raise _bad_file(f"the tensor '{name}' has no shape")
        count = 1
        for d in shape:
            if not isinstance(d, int) or isinstance(d, bool) or d < 0 or d > (1 << 32):
                raise _bad_file(f"the tensor '{name}' has an invalid dimension")
            count *= d
            if count > (1 << 40):
                raise _bad_file(f"the tensor '{name}' is impossibly large")
        offsets = entry.get("data_offsets")
        if (not isinstance(offsets, list) or len(offsets) != 2
                or not all(isinstance(o, int) and not isinstance(o, bool) for o in offsets)):
            raise _bad_file(f"the tensor '{name}' has no valid data_offsets")
        begin, end = offsets
        if begin < 0 or end < begin:
            raise _bad_file(f"the tensor '{name}' has negative or reversed data offsets")
        if end > len(body):
            raise _bad_file(f"the tensor '{name}' ends at byte {end} but the data section has only {len(body)} "
                            "(truncated file?)")
        if end - begin != count * _DTYPES[dtype].itemsize:
            raise _bad_file(f"the tensor '{name}' has {end - begin} bytes but its shape needs "
                            f"{count * _DTYPES[dtype].itemsize}")
        tensors[name] = (dtype, list(shape), body[begin:end])
        spans.append((begin, end, name))
    expected = 0
    for begin, end, name in sorted(spans):
        if begin < expected:
            raise _bad_file(f"the tensor '{name}' overlaps another tensor")
        if begin > expected:
            raise _bad_file(f"there is a gap in the data before the tensor '{name}'")
        expected = end
    if expected != len(body):
        raise _bad_file(f"the data section has {len(body) - expected} bytes no tensor uses")
    return metadata, tensors


def write_safetensors(metadata, tensors):
    """metadata {str: str}, tensors [(name, float32 array, "F32" | "F16")] in storage order -> bytes."""
    header, chunks, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = dict(metadata)
    for name, array, dtype in tensors:
        raw = np.ascontiguousarray(array, dtype=np.float32).astype(_DTYPES[dtype]).tobytes()
        header[name] = {"dtype": dtype, "shape": list(np.shape(array)), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    head = json.dumps(header, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    head += b" " * ((8 - len(head) % 8) % 8)
    return struct.pack("<Q", len(head)) + head + b"".join(chunks)


# ------------------------------------------------------------------------------------------------
# Model files


def _model_config(text):
    try:
        c = json.loads(text)
    except ValueError:
        c = None
    if not isinstance(c, dict):
        raise CharRnnFormatError("The model file's model configuration is not a JSON object.")
    kinds = {"cell": str, "vocab_size": int, "embed_size": int, "hidden_size": int, "layers": int, "dropout": float}
    out = {}
    for key, kind in kinds.items():
        if key not in c:
            raise CharRnnFormatError(f"The model file's model configuration has no '{key}'.")
        v = c[key]
        ok = (isinstance(v, str) if kind is str else
              isinstance(v, (int, float)) and not isinstance(v, bool) if kind is float else
              isinstance(v, int) and not isinstance(v, bool))
        if not ok:
            raise CharRnnFormatError(f"The model file's model configuration has an invalid '{key}'.")
        out[key] = float(v) if kind is float else v
    if out["cell"] not in CELLS:
        raise CharRnnFormatError(f"Unknown cell type '{out['cell']}': use lstm, gru or rnn.")
    limits = (("vocabulary size", "vocab_size", 2, 1 << 20), ("embedding size", "embed_size", 1, 1 << 20),
              ("hidden size", "hidden_size", 1, 1 << 20), ("number of layers", "layers", 1, 64))
    for label, key, lo, hi in limits:
        if not lo <= out[key] <= hi:
            raise CharRnnFormatError(f"The {label} must be between {lo} and {hi} (got {out[key]}).")
    if not (math.isfinite(out["dropout"]) and 0.0 <= out["dropout"] <= 0.95):
        raise CharRnnFormatError(f"The dropout must be between 0 and 0.95 (got {out['dropout']:g}).")
    # Only per-layer models have hidden_sizes (files from before it have none): checked as the core.
    if "hidden_sizes" in c:
        sizes = c["hidden_sizes"]
        shown = json.dumps(sizes, separators=(",", ":"))  # as the core shows a rejected value
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        if not isinstance(sizes, list) or not 1 <= len(sizes) <= 64:
            raise _bad_model(f"its model configuration has an invalid 'hidden_sizes' ({shown}: "
                             "not a list of 1 to 64 sizes, one per layer)")
        if not all(isinstance(h, int) and not isinstance(h, bool) and 1 <= h <= 1 << 20 for h in sizes):
            raise _bad_model(f"its model configuration has an invalid 'hidden_sizes' ({shown}: "
                             "each size must be a whole number from 1 to 1048576)")
        if len(sizes) != out["layers"]:
            raise CharRnnFormatError(f"There are {len(sizes)} hidden sizes for {out['layers']} layers: give one "
                                     "hidden size for every layer, or one per layer (as many as the layers).")
        out["hidden_sizes"] = sizes
    return out


def read_model_file(data):
    """bytes -> (config dict, vocab [str], our tensors {name: float32 array}, metadata).

    Checks what the core checks (core/files/model_file.cpp) and raises CharRnnFormatError with its
    message. A checkpoint's extras (train_config, trainer_state, optimizer.*, state.*) are ignored."""
    metadata, entries = read_safetensors(data)

    def meta(key):
        if key not in metadata:
            raise _bad_model(f"its metadata has no '{key}' (not saved by this trainer?)")
        return metadata[key]

    if meta("format") != FORMAT:
        raise _bad_model(f"it is not a char-rnn model (format '{meta('format')}')")
    if meta("format_version") != FORMAT_VERSION:
        raise _bad_model(f"it has format version {meta('format_version')}; this build reads version {FORMAT_VERSION}")
    config = _model_config(meta("model_config"))
    try:
        cps = json.loads(meta("vocab"))
    except ValueError:
        cps = None
    if not isinstance(cps, list):
        raise _bad_model("its vocabulary is not a JSON array")
    if not all(isinstance(c, int) and not isinstance(c, bool) and c >= 0 for c in cps):
        raise _bad_model("its vocabulary holds something that is not a code point")
    if len(cps) != config["vocab_size"]:
        raise _bad_model(f"its vocabulary has {len(cps)} symbols but the output layer has {config['vocab_size']}")
    for i, c in enumerate(cps):
        if c > 0x10FFFF or 0xD800 <= c <= 0xDFFF:
            raise CharRnnFormatError(f"The vocabulary holds an invalid code point U+{c:04X}.")
        if i > 0 and c <= cps[i - 1]:
            raise CharRnnFormatError(f"The vocabulary is not sorted and distinct at symbol {i}.")
    shapes = our_tensor_shapes(config)
    tensors = {}
    for name, shape in shapes.items():
        if name not in entries:
            raise _bad_file(f"the tensor '{name}' is missing")
        dtype, got, raw = entries[name]
        if got != shape:
            raise _bad_file(f"the tensor '{name}' has shape [{', '.join(map(str, got))}] but the configuration "
                            f"says [{', '.join(map(str, shape))}]")
        tensors[name] = np.frombuffer(raw, dtype=_DTYPES[dtype]).astype(np.float32).reshape(shape)
        if not np.isfinite(tensors[name]).all():
            raise _bad_model("its weights contain NaN or infinite values")
    checkpoint = "trainer_state" in metadata
    extra = [n for n in entries if n not in shapes and not (checkpoint and n.startswith(("optimizer.", "state.")))]
    if extra:
        raise _bad_model(f"it holds {len(extra)} {'tensor that does' if len(extra) == 1 else 'tensors that do'} "
                         "not belong to its configuration")
    return config, [chr(c) for c in cps], tensors, metadata


def load(path_or_bytes, device=None):
    """A model or checkpoint file (float32 or float16) -> (CharRNN, vocab: list of one-character str)."""
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        data = bytes(path_or_bytes)
    else:
        with open(path_or_bytes, "rb") as f:
            data = f.read()
    config, vocab, tensors, metadata = read_model_file(data)
    model = CharRNN(**config)
    model.load_state_dict(ours_to_torch(config, tensors))
    # The progress the file records (as the core's metadata): saved again with the weights.
    model.iteration, model.val_loss = progress_of(metadata)
    # How it was trained: "lines" (each line an example; the core samples whole lines) or None
    # (one stream of text). Saved again, so the page and the CLI go on in the same mode.
    model.examples = examples_of(metadata)
    return (model.to(device) if device is not None else model), vocab


def progress_of(metadata):
    """A file's (iteration, validation loss) from its metadata: (None, None) where it has none.
    Checked as the core checks them (a whole number to 2^53; a finite loss from 0)."""
    iteration = val_loss = None
    if "iteration" in metadata:
        v = json.loads(metadata["iteration"]) if re.fullmatch(r"[0-9]+", metadata["iteration"]) else None
        if not isinstance(v, int) or v > 2**53:
            raise _bad_model(f"its iteration is {metadata['iteration']}, not a whole number from 0 to {2**53}")
        iteration = v
    if "val_loss" in metadata:
        try:
            v = json.loads(metadata["val_loss"])
        except ValueError:
            v = None
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or not 0 <= v <= 1e6:
            raise _bad_model(f"its validation loss is {metadata['val_loss']}, not a finite number from 0")
        val_loss = float(v)
    return iteration, val_loss


def examples_of(metadata):
    """A file's examples mark: "lines" for a model trained on lines (`charrnn train --lines`), None
    for one stream of text (files from before the lines mode too). Checked as the core checks it."""
    examples = metadata.get("examples")
    if examples is not None and examples != "lines":
        raise _bad_model(f"its metadata's 'examples' is '{examples}'; this build knows 'lines' (or none)")
    return examples


def _code_points(vocab):
    cps = [ord(c) if isinstance(c, str) else int(c) for c in vocab]
    if any(isinstance(c, str) and len(c) != 1 for c in vocab):
        raise ValueError("The vocabulary must hold single characters (or code points).")
    if any(b <= a for a, b in zip(cps, cps[1:])):
        raise ValueError("The vocabulary must be sorted by code point and distinct (as vocabulary_of() makes it).")
    return cps


def model_file_bytes(module, vocab, f16=False, iteration=None):
    """The bytes save() writes. iteration: the training steps behind the weights (default: the
    module's `iteration`, which load() sets from the file); recorded as the core records it, with
    the module's `val_loss` and `examples` (the lines-mode mark) when load() found them."""
    if isinstance(module, nn.parallel.DistributedDataParallel):
        module = module.module
    if iteration is None:
        iteration = getattr(module, "iteration", None)
    val_loss = getattr(module, "val_loss", None)
    examples = getattr(module, "examples", None)
    config = module.config
    cps = _code_points(vocab)
    if len(cps) != config["vocab_size"]:
        raise ValueError(f"The vocabulary has {len(cps)} symbols but the model's output layer has {config['vocab_size']}.")
    tensors = torch_to_ours(config, module.state_dict())
    for a in tensors.values():
        if not np.isfinite(a).all():
            raise ValueError("The model's weights contain NaN or infinite values: not saved.")
    metadata = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        # The core's JSON: sorted keys, no spaces; the dropout as the double nearest its float32.
        "model_config": json.dumps({**config, "dropout": float(np.float32(config["dropout"]))},
                                   sort_keys=True, separators=(",", ":")),
        "vocab": json.dumps(cps, separators=(",", ":")),
    }
    if iteration is not None:
        metadata["iteration"] = str(int(iteration))
    if val_loss is not None:
        metadata["val_loss"] = json.dumps(float(val_loss))
    if examples is not None:
        metadata["examples"] = examples_of({"examples": examples})  # only what the core reads
    dtype = "F16" if f16 else "F32"
    return write_safetensors(metadata, [(name, tensors[name], dtype) for name in our_tensor_shapes(config)])


def save(module, vocab, path, f16=False, iteration=None):
    """Writes our model file (weights only; float16 if f16) that the CLI, page and widget load."""
    data = model_file_bytes(module, vocab, f16, iteration)
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


# ------------------------------------------------------------------------------------------------
# Text


def vocabulary_of(text):
    """The core's vocabulary of a text: its distinct characters, sorted by code point."""
    return sorted(set(text))


def encode(text, vocab, what="text"):
    """str -> int64 numpy ids; a character outside the vocabulary is an error, as in the core."""
    cps = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    table = np.array([ord(c) for c in vocab], dtype=np.uint32)
    ids = np.searchsorted(table, cps)
    bad = np.nonzero((ids >= len(table)) | (table[np.minimum(ids, len(table) - 1)] != cps))[0]
    if len(bad):
        i = int(bad[0])
        raise ValueError(f"The {what} has the character {text[i]!r} (U+{ord(text[i]):04X}, at character {i}) "
                         "which is not in the model's vocabulary.")
    return ids.astype(np.int64)


@torch.no_grad()
def log_probs(model, vocab, text):
    """Next-character log-probabilities as the core's sampler sees them: the state starts at zero,
    reads a line break (when the vocabulary has one) and then `text`; row i is the distribution
    after the i-th character read, so row 0 follows the line break alone. [rows, V] float tensor."""
    context = ("\n" if "\n" in vocab else "") + text
    if not context:
        raise ValueError("Nothing to read: the vocabulary has no line break and the text is empty.")
    was_training = model.training
    model.eval()
    p = next(model.parameters())
    x = torch.from_numpy(encode(context, vocab)).to(p.device).view(-1, 1)
    logits, _ = model(x)
    model.train(was_training)
    return torch.log_softmax(logits[:, 0, :], dim=-1)
