"""The same model file gives the same numbers in PyTorch and in the C++ core: for an LSTM, a GRU
and an RNN with 2 layers (of one hidden size, and of 20 then 12 units), the log-probabilities of every next character of a text agree to 1e-5
relative, for files the core wrote (read by PyTorch) and files PyTorch wrote (read by the core)."""

import unittest

import numpy as np
import torch

from support import TempDir, cli_train, core, ct, read_text, require_builds, SHAKESPEARE
import train  # python/train.py (support puts python/ on the path)

CELLS = ("lstm", "gru", "rnn")
RTOL = 1e-5


def setUpModule():
    global tmp, text, text_file, probe
    require_builds()
    tmp = TempDir("cross")
    text = read_text(SHAKESPEARE, 20000)
    text_file = tmp.file("text.txt", text)
    probe = text[12000:12160]  # read after the sampler's line-break start context


def tearDownModule():
    tmp.remove()


def core_log_probs(path, text):
    answer = core({"model": path, "probs": text})
    return np.log(np.array(answer["rows"], dtype=np.float64)), answer["vocab"]


class LogProbabilities(unittest.TestCase):
    def assertAgree(self, ours, theirs, what):
        self.assertEqual(ours.shape, theirs.shape, what)
        rel = np.abs(ours - theirs) / np.abs(theirs)
        self.assertLess(rel.max(), RTOL, f"{what}: worst relative difference {rel.max():.2e}")

    def test_core_files_in_pytorch(self):
        for cell in CELLS:
            for hidden in ("16", "20,12"):
                with self.subTest(cell=cell, hidden=hidden):
                    self.check_core_file(cell, hidden)

    def check_core_file(self, cell, hidden):
        path = cli_train(text_file, tmp.file(f"core_{cell}_{hidden}.safetensors"), "--cell", cell,
                         "--layers", "2", "--hidden", hidden, "--max-steps", "20")
        model, vocab = ct.load(path)
        core_lp, core_vocab = core_log_probs(path, probe)
        self.assertEqual(core_vocab, vocab)
        self.assertAgree(ct.log_probs(model, vocab, probe).double().numpy(), core_lp, f"{cell}: core file")

    def pytorch_trained(self, cell, steps=15, **options):
        """A model trained here by train.py's trainer, in this process."""
        args = train.parse_args(["--data", text_file, "--cell", cell, "--layers", "2", "--hidden", "24", "--embed", "12",
                                 "--batch", "8", "--seq-len", "32", "--optimizer", "adam", "--lr", "0.01",
                                 "--seed", "11"] + [f"--{k}={v}" for k, v in options.items()])
        run = train.Run(args)
        losses = [run.step(False)[0] for _ in range(steps)]
        self.assertLess(losses[-1], losses[0])
        return run.model, run.vocab

    def test_pytorch_files_in_the_core(self):
        for cell in CELLS:
            for hidden in ("24", "20,12"):
                with self.subTest(cell=cell, hidden=hidden):
                    self.check_pytorch_file(cell, hidden)

    def check_pytorch_file(self, cell, hidden):
        model, vocab = self.pytorch_trained(cell, dropout=0.2, hidden=hidden)
        self.assertEqual(model.config.get("hidden_sizes"), [20, 12] if "," in hidden else None)
        path = tmp.file(f"torch_{cell}_{hidden}.safetensors")
        ct.save(model, vocab, path)
        core_lp, core_vocab = core_log_probs(path, probe)
        self.assertEqual(core_vocab, vocab)
        self.assertAgree(ct.log_probs(model, vocab, probe).double().numpy(), core_lp, f"{cell}: PyTorch file")

    def test_any_pytorch_biases_fold_into_ours(self):
        # A module whose second bias (bias_hh) is not zero, as in any nn.LSTM/GRU/RNN trained
        # elsewhere: saving folds it into our one bias (the GRU's n block is our bhn).
        for cell in CELLS:
            with self.subTest(cell=cell):
                model, vocab = self.pytorch_trained(cell, steps=3)
                gen = torch.Generator().manual_seed(5)
                with torch.no_grad():
                    for l in range(model.layers):
                        b = getattr(model.rnn, f"bias_hh_l{l}")
                        b.copy_(torch.rand(b.shape, generator=gen) - 0.5)
                path = tmp.file(f"folded_{cell}.safetensors")
                ct.save(model, vocab, path)
                core_lp, _ = core_log_probs(path, probe)
                self.assertAgree(ct.log_probs(model, vocab, probe).double().numpy(), core_lp, f"{cell}: folded biases")

    def test_float16_files_both_ways(self):
        for cell in CELLS:
            with self.subTest(cell=cell):
                model, vocab = self.pytorch_trained(cell, steps=5)
                path = tmp.file(f"torch_{cell}_f16.safetensors")
                ct.save(model, vocab, path, f16=True)
                reloaded, _ = ct.load(path)
                # Nothing but float16 rounding between the module and the file.
                for (name, a), (_, b) in zip(model.state_dict().items(), reloaded.state_dict().items()):
                    self.assertTrue(torch.equal(a.half().float(), b), name)
                core_lp, _ = core_log_probs(path, probe)
                self.assertAgree(ct.log_probs(reloaded, vocab, probe).double().numpy(), core_lp, f"{cell}: float16 file")


if __name__ == "__main__":
    unittest.main()
