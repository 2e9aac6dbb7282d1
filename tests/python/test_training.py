"""python/train.py: from the same initial weights it takes the C++ core's training steps (same
streams, optimisers, clipping, decay, validation loss); two DistributedDataParallel processes
(gloo, loopback only) train what one process with the same total batch trains, the loss falls,
and the file they write samples the same text in the CLI and in WASM; bad input gets a message."""

import contextlib
import io
import json
import os
import subprocess
import sys
import unittest

from support import (TORCHRUN_PY, TempDir, core, ct, free_port, loopback_env, python_train, read_text, require_builds,
                     run_cli, NAMES, SHAKESPEARE, TRAIN_PY)

STEPS = 10


def setUpModule():
    global tmp, text_file
    require_builds()
    tmp = TempDir("train")
    text_file = tmp.file("text.txt", read_text(SHAKESPEARE, 30000))


def tearDownModule():
    tmp.remove()


def relative(a, b):
    return abs(a - b) / max(abs(a), abs(b), 1e-12)


class SameStepsAsTheCore(unittest.TestCase):
    # Settings in the JS API's words and train.py's; every optimiser and clipping option is used.
    CASES = (
        ({"cell": "lstm", "layers": 2, "hiddenSize": 32, "embedSize": 16},
         {"optimizer": "rmsprop", "learningRate": 0.003, "gradClip": 0.15}),
        ({"cell": "gru", "layers": 2, "hiddenSize": 24, "embedSize": 8},
         {"optimizer": "adam", "learningRate": 0.01, "lrDecay": 0.5, "lrDecayEvery": 3, "l2": 0.01}),
        ({"cell": "rnn", "layers": 2, "hiddenSize": 32, "embedSize": 16},
         {"optimizer": "adagrad", "learningRate": 0.05, "gradClip": 0, "gradClipValue": 0.002, "valFraction": 0.2}),
        # Per-layer hidden sizes: 32 units, then 16 (PyTorch runs a stack of one-layer modules).
        ({"cell": "lstm", "layers": 2, "hiddenSizes": [32, 16], "embedSize": 16},
         {"optimizer": "adam", "learningRate": 0.01, "gradClip": 0.5}),
    )
    FLAGS = {"optimizer": "--optimizer", "learningRate": "--lr", "gradClip": "--grad-clip", "lrDecay": "--lr-decay",
             "lrDecayEvery": "--lr-decay-every", "l2": "--l2", "gradClipValue": "--grad-clip-value",
             "valFraction": "--val-fraction", "batchSize": "--batch", "seqLen": "--seq-len"}

    def test_python_training_takes_the_cores_steps(self):
        for model, train in self.CASES:
            train = {"batchSize": 6, "seqLen": 40, "seed": 9, **train}
            with self.subTest(cell=model["cell"], optimizer=train["optimizer"], hidden=model.get("hiddenSizes")):
                init = tmp.file(f"init_{model['cell']}_{train['optimizer']}.safetensors")
                expected = core({"train": {"text": text_file, "model": model, "train": train, "steps": STEPS, "init": init}})
                flags = [x for k, v in train.items() if k in self.FLAGS for x in (self.FLAGS[k], v)]
                records, _ = python_train("--data", text_file, "--init", init, "--max-steps", STEPS, *flags)
                self.assertEqual([r["step"] for r in records], list(range(1, STEPS + 1)))
                for i, r in enumerate(records):
                    self.assertLess(relative(r["loss"], expected["losses"][i]), 1e-4, f"step {i + 1} loss")
                    self.assertLess(relative(r["grad_norm"], expected["gradNorms"][i]), 1e-3, f"step {i + 1} gradient norm")
                self.assertLess(relative(records[-1]["val_loss"], expected["valLoss"]), 1e-4, "validation loss")
                self.assertLess(records[-1]["loss"], records[0]["loss"])


class TwoProcesses(unittest.TestCase):
    ARGS = ("--cell", "lstm", "--layers", "2", "--hidden", "64", "--embed", "16", "--batch", "16", "--seq-len", "32",
            "--optimizer", "adam", "--lr", "0.01", "--seed", "3", "--max-steps", "40", "--eval-every", "20")

    def test_two_ddp_processes_train_a_model_the_core_samples(self):
        saved = tmp.file("ddp.safetensors")
        cmd = [sys.executable, TORCHRUN_PY, "--nproc_per_node=2", "--master_addr=127.0.0.1", f"--master_port={free_port()}",
               TRAIN_PY, "--data", NAMES, *self.ARGS, "--save", saved, "--log-json"]
        r = subprocess.run(cmd, capture_output=True, env=loopback_env(), timeout=600)
        if r.returncode != 0 and "Signal 6 (SIGABRT)" in r.stderr.decode():
            # Debian's PyTorch 1.13 gloo backend now and then aborts a worker (seen in about 1 of
            # 20 runs of this very command on a loaded 2-core machine, at varying steps); our code
            # raises no signals. One more launch; a defect in train.py fails both.
            print("note: a gloo worker aborted (SIGABRT); launching once more", file=sys.stderr)
            cmd = [f"--master_port={free_port()}" if a.startswith("--master_port=") else a for a in cmd]
            r = subprocess.run(cmd, capture_output=True, env=loopback_env(), timeout=600)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertIn("2 processes (gloo) on cpu", r.stderr.decode())
        records = [json.loads(line) for line in r.stdout.decode().splitlines()]  # from rank 0 only
        self.assertEqual([x["step"] for x in records], list(range(1, 41)))
        losses = [x["loss"] for x in records]
        self.assertLess(sum(losses[-5:]) / 5, losses[0] - 1.0, f"the loss did not fall: {losses}")
        self.assertLess(records[-1]["val_loss"], records[19]["val_loss"])
        self.assertGreater(records[-1]["chars_per_sec"], 0)

        # One process with the same total batch (16 streams, not 8): the same steps.
        single, _ = python_train("--data", NAMES, *self.ARGS)
        for i, (a, b) in enumerate(zip(records, single)):
            self.assertLess(relative(a["loss"], b["loss"]), 1e-4, f"step {i + 1}")
        self.assertLess(relative(records[-1]["val_loss"], single[-1]["val_loss"]), 1e-4)

        # The file is ours: the CLI and WASM sample the same text from it.
        for seed, prime, temperature in ((7, "Ab", 0.8), (12, "", 1.0)):
            cli = run_cli("sample", "--model", saved, "--seed", seed, "--prime", prime, "--temperature", temperature,
                          "--length", 300)
            wasm = core({"model": saved, "sample": {"prime": prime, "length": 300, "seed": seed,
                                                    "temperature": temperature}})["text"]
            # The CLI prints the prime, the sample and a line break.
            self.assertEqual(len(cli), len(prime) + 300 + 1)
            self.assertEqual(cli, prime + wasm + "\n", f"seed {seed}, prime {prime!r}")
        model, vocab = ct.load(saved)
        self.assertEqual(model.config["hidden_size"], 64)


class EngineSettings(unittest.TestCase):
    """train.py's flags, defaults and ranges are the engine's (python/settings.json, `charrnn schema`)."""

    def test_train_py_takes_the_engines_defaults_and_ranges(self):
        schema = json.loads(run_cli("schema"))
        with open(os.path.join(os.path.dirname(TRAIN_PY), "settings.json"), encoding="utf-8") as f:
            self.assertEqual(json.load(f), schema,
                             "python/settings.json is not current: run build/native/cli/charrnn schema > python/settings.json")
        sys.path.insert(0, os.path.dirname(TRAIN_PY))
        import train
        # train.py has no lines mode, and samples with charrnn: every other flag of the engine's.
        settings = [s for s in schema if s["cli"] and s["group"] != "sample" and s["cli"] != "--lines"]
        self.assertEqual(len(settings), 16)
        args = train.parse_args(["--data", "text.txt"])
        for s in settings:
            dest = s["cli"][2:].replace("-", "_")
            self.assertEqual(getattr(args, dest), [s["default"]] if s["key"] == "hidden_size" else s["default"], s["cli"])
        # One step above a range is refused (argparse's exit status 2), naming the flag.
        for s in settings:
            if s["type"] not in ("int", "float") or s["max"] > 2 ** 62:
                continue  # the seed: any 64-bit value
            above = s["max"] + 1 if s["type"] == "int" else s["max"] * 1.5 + 1
            err = io.StringIO()
            with self.assertRaises(SystemExit) as exit, contextlib.redirect_stderr(err):
                train.parse_args(["--data", "text.txt", s["cli"], str(above)])
            self.assertEqual(exit.exception.code, 2, s["cli"])
            self.assertIn(f"{s['cli']} must be between", err.getvalue())


class BadInput(unittest.TestCase):
    def train_fails(self, *args):
        r = subprocess.run([sys.executable, TRAIN_PY, *map(str, args)], capture_output=True, timeout=120)
        return r.returncode, r.stderr.decode()

    def test_bad_text_files_and_models_get_a_message(self):
        binary = tmp.file("binary.txt")
        with open(binary, "wb") as f:
            f.write(b"abc\xff\xfedef" * 10)
        code, err = self.train_fails("--data", binary)
        self.assertEqual(code, 1)
        self.assertIn("is not valid UTF-8 (at byte 3)", err)

        code, err = self.train_fails("--data", tmp.file("short.txt", "abcdef"), "--seq-len", "50")
        self.assertEqual(code, 1)
        self.assertIn("The text is too short: it has 6 characters", err)

        code, err = self.train_fails("--data", tmp.file("missing.txt"))
        self.assertEqual(code, 1)
        self.assertIn("Cannot read the text file", err)

        bad_model = tmp.file("bad.safetensors", "not a model")
        code, err = self.train_fails("--data", text_file, "--init", bad_model)
        self.assertEqual(code, 1)
        self.assertIn("This is not a valid model file", err)

        code, err = self.train_fails("--data", text_file, "--dropout", "2")
        self.assertEqual(code, 2)
        self.assertIn("--dropout must be between 0 and 0.95", err)

    def test_a_text_outside_the_models_vocabulary(self):
        model_file = tmp.file("names.safetensors")
        python_train("--data", NAMES, "--hidden", "8", "--max-steps", "2", "--save", model_file)
        self.assertTrue(os.path.exists(model_file))
        code, err = self.train_fails("--data", text_file, "--init", model_file)
        self.assertEqual(code, 1)
        self.assertIn("which is not in the model's vocabulary", err)


if __name__ == "__main__":
    unittest.main()
