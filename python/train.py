#!/usr/bin/python3
"""Trains our char-rnn model with PyTorch and writes our model files (`charrnn sample`, the page
and the widget load them). char-rnn's training as the CLI does it (core/training/trainer.cpp): B contiguous
streams through the text with the hidden state carried from batch to batch, truncated BPTT of T
steps, the same optimisers, clipping and learning-rate decay, the last fraction held out.

    python3 python/train.py --data input.txt --cell lstm --layers 2 --hidden 512 --save model.safetensors
    torchrun --nproc_per_node=N python/train.py --data input.txt ...          # N processes, one machine
    torchrun --nnodes=M --nproc_per_node=N --rdzv_backend=c10d --rdzv_endpoint=HOST:29500 python/train.py ...

Under torchrun it runs DistributedDataParallel (nccl on GPUs, gloo on CPUs). --batch is the total
number of streams: each of the N processes takes batch/N of them and the gradients are averaged,
so N processes train the same model one process with the same --batch would (up to float
rounding and dropout's random masks), N times the characters per step per process.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import math
import os
import signal
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import charrnn_torch as ct  # noqa: E402

# The engine's settings table (core/model/settings.cpp) as `charrnn schema` prints it: flags,
# defaults, ranges and help. A copy sits beside this file, so that train.py needs only PyTorch (no
# build, no Node); ctest's cli.schema_file_current fails when the copy is not current.
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "settings.json"), encoding="utf-8") as f:
    SETTINGS = {s["key"]: s for s in json.load(f)}


class BadInput(Exception):
    """A message for the user; exit status 1."""


# ------------------------------------------------------------------------------------------------
# Data: the core's split (core/training/trainer.cpp) and streams (core/text/text_streams.cpp)


def read_text(path):
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise BadInput(f"Cannot read the text file {path}: {e.strerror}.") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise BadInput(f"The text file {path} is not valid UTF-8 (at byte {e.start}). Save it as UTF-8 and try again.") from None


def split(ids, val_fraction, seq_len):
    n = len(ids)
    n_val = int(n * val_fraction)
    need = seq_len + 1
    if n - n_val < need:
        raise BadInput(f"The text is too short: it has {n} characters, and a sequence length of {seq_len} needs at least "
                       f"{math.ceil(need / (1.0 - val_fraction))} (including the validation part). Use more text or a "
                       "shorter sequence length.")
    return ids[:n - n_val], ids[n - n_val:]


class Streams:
    """B contiguous streams through the training ids; this process reads streams [first, first + count)."""

    def __init__(self, ids, B, T, first=0, count=None):
        self.ids, self.T = ids, T
        self.usable = len(ids) - 1
        starts = np.array([self.usable * b // B for b in range(B)], dtype=np.int64)
        self.starts = starts[first:first + (B if count is None else count)]
        self.steps_per_epoch = max(1, (self.usable // B) // T)
        self.step_in_epoch = 0

    def next(self):
        """(inputs, targets) [T, b] int64 and whether this chunk starts an epoch."""
        epoch_start = self.step_in_epoch == 0
        pos = (self.starts[None, :] + self.step_in_epoch * self.T + np.arange(self.T)[:, None]) % self.usable
        x, y = self.ids[pos], self.ids[pos + 1]
        self.step_in_epoch = (self.step_in_epoch + 1) % self.steps_per_epoch
        return x.astype(np.int64), y.astype(np.int64), epoch_start


# ------------------------------------------------------------------------------------------------
# The core's optimisers (core/training/optimizer.cpp), same formulas and defaults


class Optimizer:
    def __init__(self, model, kind, rmsprop_decay=None, beta1=None, beta2=None, l2=0.0):
        rmsprop_decay = SETTINGS["rmsprop_decay"]["default"] if rmsprop_decay is None else rmsprop_decay
        beta1 = SETTINGS["adam_beta1"]["default"] if beta1 is None else beta1
        beta2 = SETTINGS["adam_beta2"]["default"] if beta2 is None else beta2
        if kind not in SETTINGS["optimizer"]["choices"]:
            raise BadInput(f"Unknown optimiser '{kind}': use rmsprop, adam or adagrad.")
        self.kind, self.decay, self.beta1, self.beta2, self.l2 = kind, rmsprop_decay, beta1, beta2, l2
        # L2 decays weight matrices and the embedding, never biases (as the core).
        self.params = [(p, "bias" in name) for name, p in model.named_parameters() if p.requires_grad]
        self.m = [torch.zeros_like(p) for p, _ in self.params]
        self.v = [torch.zeros_like(p) for p, _ in self.params] if kind == "adam" else None
        self.steps = 0

    @torch.no_grad()
    def step(self, lr):
        self.steps += 1
        eps = 1e-8
        bc1 = 1.0 - self.beta1 ** self.steps
        bc2 = 1.0 - self.beta2 ** self.steps
        adam_lr = float(np.float32(lr * math.sqrt(bc2) / bc1))
        for k, (p, is_bias) in enumerate(self.params):
            g = p.grad
            if self.l2 > 0 and not is_bias:
                g = g + self.l2 * p
            m = self.m[k]
            if self.kind == "rmsprop":
                m.mul_(self.decay).addcmul_(g, g, value=1.0 - self.decay)
                p.addcdiv_(g, m.sqrt().add_(eps), value=-lr)
            elif self.kind == "adam":
                v = self.v[k]
                m.mul_(self.beta1).add_(g, alpha=1.0 - self.beta1)
                v.mul_(self.beta2).addcmul_(g, g, value=1.0 - self.beta2)
                p.addcdiv_(m, v.sqrt().add_(eps), value=-adam_lr)
            else:
                m.addcmul_(g, g)
                p.addcdiv_(g, (m + eps).sqrt(), value=-lr)


def hold_openblas_threads(n):
    """Debian's PyTorch multiplies matrices through the system BLAS, and OpenBLAS starts a thread
    per core of its own beneath PyTorch's threads (measured here, one PyTorch thread: up to 2x
    slower than with OpenBLAS held to one). Holds OpenBLAS to PyTorch's thread count unless
    OPENBLAS_NUM_THREADS says otherwise; with no OpenBLAS loaded (pip's MKL builds) does nothing."""
    if "OPENBLAS_NUM_THREADS" in os.environ:
        return
    for name in ("libblas.so.3", "libopenblas.so.0"):
        try:
            lib = ctypes.CDLL(name, mode=os.RTLD_NOLOAD | os.RTLD_LAZY)  # only if already loaded
        except (OSError, AttributeError):
            continue
        setter = getattr(lib, "openblas_set_num_threads", None)
        if setter is not None:
            setter(int(n))
            return


# ------------------------------------------------------------------------------------------------
# The run


def hidden_sizes_arg(text):
    """--hidden: "256" or one size per layer "256,128" -> [256] or [256, 128]."""
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"write one whole number for every layer (128) or one per layer, "
                                         f"separated by commas (256,128); got '{text}'") from None
    return sizes


# Where train.py's flag means more or less than the engine's: it has no --lines mode, and its
# batch is shared out over the processes.
OWN_HELP = {
    "val_fraction": "Fraction of the text, from its end, held out for validation",
    "batch_size": "Sequences per batch (parallel streams through the text), in total over all processes",
}


def add_setting(group, key, ranged):
    """A flag of the engine's CLI, with its help and default; numbers go into `ranged` for their checks."""
    s = dict(SETTINGS[key], help=OWN_HELP.get(key, SETTINGS[key]["help"]))
    if key == "hidden_size":  # one size for every layer, or one per layer
        action = group.add_argument(s["cli"], type=hidden_sizes_arg, default=[s["default"]], metavar="N[,N...]",
                                    help=s["help"])
    elif s["type"] == "choice":
        action = group.add_argument(s["cli"], default=s["default"], choices=s["choices"], help=s["help"])
    else:
        action = group.add_argument(s["cli"], type={"int": int, "float": float}[s["type"]], default=s["default"],
                                    help=s["help"])
    if s["type"] in ("int", "float"):
        ranged.append((action.dest, s))


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="train.py", description="Train a char-rnn model with PyTorch (one process, or many under torchrun) "
        "and write a .safetensors model file that `charrnn sample`, the page and the widget load.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    ranged = []  # (argument, setting) of the engine's numbers, checked below as the engine would
    d = p.add_argument_group("data")
    d.add_argument("--data", required=True, metavar="FILE", help="UTF-8 text file to train on")
    add_setting(d, "val_fraction", ranged)
    m = p.add_argument_group("model (ignored with --init: the file's own)")
    for key in ("cell", "layers", "hidden_size", "embed_size", "dropout"):
        add_setting(m, key, ranged)
    m.add_argument("--init", metavar="MODEL", help="start from this model file's weights (any of our model or "
                   "checkpoint files; a fresh optimiser, streams from the start)")
    t = p.add_argument_group("training")
    for key in ("seq_len", "batch_size", "optimizer", "learning_rate", "lr_decay", "lr_decay_every", "grad_clip",
                "grad_clip_value", "l2", "seed"):
        add_setting(t, key, ranged)
    r = p.add_argument_group("run")
    r.add_argument("--max-epochs", type=float, default=50.0)
    r.add_argument("--max-steps", type=int, default=0, help="0: no limit")
    r.add_argument("--max-minutes", type=float, default=0.0, help="0: no limit")
    r.add_argument("--eval-every", type=int, default=1000, help="evaluate and write --save every this many steps")
    r.add_argument("--eval-chars", type=int, default=100000, help="validation characters per periodic evaluation "
                   "(0: all); the final one uses all")
    r.add_argument("--save", metavar="FILE", help="the model file, written at every evaluation and at the end")
    r.add_argument("--f16", action="store_true", help="store --save in float16 (half the size)")
    r.add_argument("--device", default="auto", help="auto (cuda when available), cpu, cuda or cuda:K")
    r.add_argument("--threads", type=int, default=0, help="CPU threads per process (0: PyTorch's default)")
    r.add_argument("--log-json", action="store_true", help="one JSON object per step on stdout (step, epoch, loss, "
                   "skipped, grad_norm, lr, chars_per_sec; val_loss on evaluations)")
    r.add_argument("--quiet", action="store_true", help="print nothing but errors")
    a = p.parse_args(argv)
    if len(a.hidden) > 1 and len(a.hidden) != a.layers:
        p.error(f"--hidden gives {len(a.hidden)} sizes for {a.layers} layers: give one size for every layer, "
                "or one per layer (as many as --layers)")
    # The engine's ranges (its validate()), named by their flags.
    for dest, s in ranged:
        for v in getattr(a, dest) if dest == "hidden" else [getattr(a, dest)]:
            if not (math.isfinite(v) and s["min"] <= v <= s["max"]):
                p.error(f"{s['cli']} must be between {s['min']:g} and {s['max']:g} (got {v:g})" if s["type"] == "float"
                        else f"{s['cli']} must be between {s['min']} and {s['max']} (got {v})")
    if a.eval_every < 1:
        p.error("--eval-every must be at least 1")
    return a


class Run:
    def __init__(self, a):
        self.a = a
        self.distributed = int(os.environ.get("WORLD_SIZE", "1")) > 1
        want = a.device
        if want == "auto":
            want = "cuda" if torch.cuda.is_available() else "cpu"
        if want.startswith("cuda") and not torch.cuda.is_available():
            raise BadInput("--device cuda: PyTorch sees no CUDA device here (use --device cpu).")
        if self.distributed:
            backend = "nccl" if want.startswith("cuda") else "gloo"
            if want == "cuda":
                want = f"cuda:{int(os.environ.get('LOCAL_RANK', '0'))}"
            if want.startswith("cuda"):
                torch.cuda.set_device(torch.device(want))
            dist.init_process_group(backend)
            self.rank, self.world = dist.get_rank(), dist.get_world_size()
        else:
            self.rank, self.world = 0, 1
        self.device = torch.device(want)
        if a.threads > 0:
            torch.set_num_threads(a.threads)
        hold_openblas_threads(torch.get_num_threads())
        self.main = self.rank == 0
        if a.batch % self.world:
            raise BadInput(f"--batch {a.batch} does not split evenly over {self.world} processes: use a multiple of {self.world}.")

        text = read_text(a.data)
        if not text:
            raise BadInput("The text is empty. Give a text to train on.")
        if a.init:
            self.model, self.vocab = ct.load(a.init)
        else:
            self.vocab = ct.vocabulary_of(text)
            if len(self.vocab) < 2:
                raise BadInput("The text has only one distinct character: there is nothing to predict.")
            sizes = a.hidden * a.layers if len(a.hidden) == 1 else a.hidden
            self.model = ct.CharRNN(a.cell, len(self.vocab), a.embed, sizes[0], a.layers, a.dropout,
                                    hidden_sizes=sizes).reset_parameters(a.seed)
        ids = ct.encode(text, self.vocab, "training text").astype(np.int32)
        self.train_ids, self.val_ids = split(ids, a.val_fraction, a.seq_len)
        per_rank = a.batch // self.world
        self.streams = Streams(self.train_ids, a.batch, a.seq_len, self.rank * per_rank, per_rank)
        torch.manual_seed(a.seed + 1000003 * self.rank)  # dropout masks: different on every process
        self.model.to(self.device)
        self.net = (torch.nn.parallel.DistributedDataParallel(
            self.model, device_ids=[self.device.index] if self.device.type == "cuda" else None)
            if self.distributed else self.model)
        self.opt = Optimizer(self.model, a.optimizer, l2=a.l2)
        self.lr = a.lr
        self.iteration = self.epoch = 0
        self.state = self.model.initial_state(per_rank)
        self.train_seconds = 0.0
        self.start = time.monotonic()

    def say(self, text):
        if self.main and not self.a.quiet:
            print(text, file=sys.stderr, flush=True)

    def epoch_progress(self):
        k = self.streams.step_in_epoch
        if k == 0 and self.iteration > 0:
            return float(self.epoch + 1)
        return self.epoch + k / self.streams.steps_per_epoch

    def all_sum(self, values):
        t = torch.tensor(values, dtype=torch.float64, device=self.device)
        if self.distributed:
            dist.all_reduce(t)
        return t.tolist()

    def step(self, out_of_time):
        """One batch on every process; returns (mean loss over all processes, grad norm, skipped, stop)."""
        x, y, epoch_start = self.streams.next()
        if epoch_start:
            if self.iteration > 0:
                self.epoch += 1
            self.state = self.model.initial_state(x.shape[1])
        self.iteration += 1
        self.model.train()
        x = torch.from_numpy(x).to(self.device, non_blocking=True)
        y = torch.from_numpy(y).to(self.device, non_blocking=True)
        logits, state = self.net(x, self.state)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
        self.model.zero_grad(set_to_none=False)
        loss.backward()  # DDP averages the gradients over the processes here
        grads = [p.grad for p, _ in self.opt.params]
        norm = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g, dtype=torch.float64) for g in grads]))
        loss_sum, norm, stop = self.all_sum([loss.item(), norm.item() / self.world, float(out_of_time)])
        loss, norm = loss_sum / self.world, norm  # every process has the same (averaged) gradient
        skipped = not (math.isfinite(loss) and math.isfinite(norm))
        if not skipped:
            with torch.no_grad():
                if self.a.grad_clip > 0 and norm > self.a.grad_clip:
                    for g in grads:
                        g.mul_(self.a.grad_clip / norm)
                if self.a.grad_clip_value > 0:
                    for g in grads:
                        g.clamp_(-self.a.grad_clip_value, self.a.grad_clip_value)
            self.opt.step(self.lr)
            self.state = ct.detach_state(state)
        if self.a.lr_decay_every > 0 and self.iteration % self.a.lr_decay_every == 0:
            self.lr *= self.a.lr_decay
        return loss, norm, skipped, stop > 0

    @torch.no_grad()
    def evaluate(self, max_chars=-1):
        """Mean validation loss (nats/char) as core/training/trainer.cpp computes it; streams shared out over the processes."""
        val, T = self.val_ids, self.a.seq_len
        usable = len(val) - 1
        if max_chars >= 0:
            usable = min(usable, max_chars)
        if usable < 1:
            return float("nan")
        Be = min(max(usable // T, 1), self.a.batch)
        L = usable // Be
        mine = np.arange(self.rank, Be, self.world, dtype=np.int64)
        total = torch.zeros((), dtype=torch.float64, device=self.device)
        if len(mine):
            self.model.eval()
            state = self.model.initial_state(len(mine))
            starts = mine * L
            for t0 in range(0, L, T):
                pos = starts[None, :] + t0 + np.arange(min(T, L - t0))[:, None]
                x = torch.from_numpy(val[pos].astype(np.int64)).to(self.device)
                y = torch.from_numpy(val[pos + 1].astype(np.int64)).to(self.device)
                logits, state = self.model(x, state)
                total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), reduction="sum").double()
        (total,) = self.all_sum([total.item()])
        return total / (L * Be)

    def chars_per_sec(self, steps):
        return steps * self.a.batch * self.a.seq_len / self.train_seconds if self.train_seconds > 0 else 0.0

    def write_model(self):
        if self.main and self.a.save:
            # Its iteration is this run's; a loss an --init file recorded no longer describes these weights.
            getattr(self.model, "module", self.model).val_loss = None
            ct.save(self.model, self.vocab, self.a.save, f16=self.a.f16, iteration=self.iteration)

    def stop_reason(self):
        a = self.a
        if a.max_steps > 0 and self.iteration >= a.max_steps:
            return f"--max-steps {a.max_steps}"
        if self.epoch_progress() >= a.max_epochs:
            return f"--max-epochs {a.max_epochs:g}"
        return None

    def run(self):
        a, m = self.a, self.model
        sizes = ct.layer_sizes(m.config)
        n_params = sum(p.numel() for n, p in m.named_parameters() if "bias_hh" not in n) + \
            (sum(sizes) if m.cell == "gru" else 0)
        where = f"{self.world} processes ({'nccl' if self.device.type == 'cuda' else 'gloo'})" if self.distributed else "1 process"
        self.say(f"{m.layers}-layer {m.cell}, hidden {'-'.join(map(str, sizes)) if m.hidden_sizes else m.hidden_size}, embedding {m.embed_size}, dropout {m.dropout:g}: "
                 f"{n_params:,} parameters, {m.vocab_size} symbols.\n"
                 f"{len(self.train_ids):,} training and {len(self.val_ids):,} validation characters; batch {a.batch} x "
                 f"{a.seq_len} characters, {self.streams.steps_per_epoch:,} steps per epoch; {a.optimizer}, learning rate "
                 f"{a.lr:g}; {where} on {self.device.type}, {torch.get_num_threads()} thread(s) each.")
        interrupted = []

        def on_interrupt(*_):
            # The first Ctrl-C finishes the step, evaluates and writes --save; a second one quits.
            interrupted.append(1)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            self.say("Interrupted: finishing this step, then evaluating and writing the model (Ctrl-C again quits at once).")

        signal.signal(signal.SIGINT, on_interrupt)
        first_iteration, last_report, val = self.iteration, time.monotonic(), float("nan")
        smoothed = float("nan")
        while True:
            out_of_time = a.max_minutes > 0 and time.monotonic() - self.start >= a.max_minutes * 60
            t0 = time.monotonic()
            loss, norm, skipped, stop_all = self.step(out_of_time or bool(interrupted))
            if self.device.type == "cuda":
                torch.cuda.synchronize(self.device)
            self.train_seconds += time.monotonic() - t0
            if not skipped:
                smoothed = loss if math.isnan(smoothed) else 0.95 * smoothed + 0.05 * loss
            stop = self.stop_reason() or (("interrupted" if interrupted else f"--max-minutes {a.max_minutes:g}") if stop_all else None)
            evaluate_now = stop is not None or self.iteration % a.eval_every == 0
            if evaluate_now:
                val = self.evaluate(-1 if stop or a.eval_chars == 0 else a.eval_chars)
            speed = self.chars_per_sec(self.iteration - first_iteration)
            if a.log_json and self.main:
                line = {"step": self.iteration, "epoch": self.epoch_progress(), "loss": loss, "skipped": skipped,
                        "grad_norm": norm, "lr": self.lr, "chars_per_sec": speed}
                if evaluate_now:
                    line["val_loss"] = None if math.isnan(val) else val
                print(json.dumps(line), flush=True)
            elif evaluate_now or time.monotonic() - last_report >= 10:
                last_report = time.monotonic()
                v = f" | val {val:.4f}" if evaluate_now and not math.isnan(val) else ""
                self.say(f"step {self.iteration} | epoch {self.epoch_progress():.2f} | loss {smoothed:.4f}{v} | "
                         f"{speed:,.0f} chars/s")
            if evaluate_now:
                self.write_model()
            if stop:
                elapsed = time.monotonic() - self.start
                v = "" if math.isnan(val) else f": validation loss {val:.4f} nats/char"
                self.say(f"Finished at step {self.iteration}, epoch {self.epoch_progress():.2f} ({stop}), in {elapsed:.0f}s "
                         f"(training {speed:,.0f} chars/s){v}." + (f"\nModel: {a.save}" if a.save else ""))
                return 130 if interrupted else 0


def main(argv=None):
    a = parse_args(argv)
    run = None
    try:
        run = Run(a)
        return run.run()
    except (BadInput, ct.CharRnnFormatError, ValueError) as e:
        print(f"train.py: {e}", file=sys.stderr)
        return 1
    finally:
        if run is not None and run.distributed and dist.is_initialized():
            dist.destroy_process_group()


if __name__ == "__main__":
    sys.exit(main())
