"""Our .safetensors model files in Python: the mapping table covers every tensor, files written by
the C++ core load and save again byte for byte (float32 and float16), checkpoints load, and bad
files get the core's own message."""

import os
import subprocess
import unittest

import numpy as np
import torch

from support import TempDir, cli_train, ct, read_text, require_builds, run_cli, CLI, SHAKESPEARE

CELLS = ("lstm", "gru", "rnn")


def setUpModule():
    global tmp, text_file, files
    require_builds()
    tmp = TempDir("files")
    text_file = tmp.file("text.txt", read_text(SHAKESPEARE, 20000))
    files = {}
    for cell in CELLS:
        dropout = "0.1" if cell == "lstm" else "0"  # a dropout that is not a round float32
        # `--save` at the end of training: the best weights, with their step and validation loss.
        trained = cli_train(text_file, tmp.file(f"{cell}.safetensors"), "--cell", cell, "--layers", "2", "--hidden",
                            "16", "--embed", "8", "--dropout", dropout, "--max-steps", "20", "--batch", "8",
                            "--seq-len", "32")
        # The step-20 checkpoint turned into model files by the CLI: the same weights in float32 and
        # float16, whatever the best were.
        checkpoint = os.path.join(trained + ".checkpoints", "checkpoint-step20.safetensors")
        files[cell] = {"trained": trained, "f32": model_from(checkpoint, f"{cell}_f32.safetensors"),
                       "f16": model_from(checkpoint, f"{cell}_f16.safetensors", "--f16"), "checkpoint": checkpoint}
        # Per-layer hidden sizes (20 units, then 12): a model file and a checkpoint.
        per_layer = cli_train(text_file, tmp.file(f"{cell}_per_layer_trained.safetensors"), "--cell", cell, "--layers",
                              "2", "--hidden", "20,12", "--embed", "8", "--dropout", dropout, "--max-steps", "20",
                              "--batch", "8", "--seq-len", "32")
        files[cell]["per_layer_checkpoint"] = os.path.join(per_layer + ".checkpoints", "checkpoint-step20.safetensors")
        files[cell]["per_layer"] = model_from(files[cell]["per_layer_checkpoint"], f"{cell}_per_layer.safetensors")


def model_from(checkpoint, name, *args):
    """The CLI's model file of a checkpoint's weights (resumed at its own step: nothing trained)."""
    out = tmp.file(name)
    run_cli("train", "--data", text_file, "--resume", checkpoint, "--max-steps", "20", "--quiet",
            "--checkpoint-dir", os.path.dirname(checkpoint), "--save", out, *args)
    return out


def tearDownModule():
    tmp.remove()


def read(path):
    with open(path, "rb") as f:
        return f.read()


def rewrite(path, out, metadata=None, drop=(), replace=None):
    """A copy of a model file with its metadata changed, tensors dropped or replaced."""
    meta, entries = ct.read_safetensors(read(path))
    meta.update(metadata or {})
    tensors = []
    for name, (dtype, shape, raw) in entries.items():
        if name in drop:
            continue
        a = np.frombuffer(raw, dtype=ct._DTYPES[dtype]).astype(np.float32).reshape(shape)
        tensors.append((name, (replace or {}).get(name, a), dtype))
    with open(out, "wb") as f:
        f.write(ct.write_safetensors(meta, tensors))
    return out


def core_refusal(path):
    """The CLI's message for a file it refuses (without its 'charrnn: 'FILE': ' prefix)."""
    r = subprocess.run([CLI, "info", "--model", path], capture_output=True)
    assert r.returncode == 1, f"the core accepted {path}"
    return r.stderr.decode().strip().split("': ", 1)[1]


class MappingTable(unittest.TestCase):
    def test_the_table_maps_every_tensor_of_every_cell_both_ways(self):
        for cell in CELLS:
            with self.subTest(cell=cell):
                meta, entries = ct.read_safetensors(read(files[cell]["f32"]))
                config, _, tensors, _ = ct.read_model_file(read(files[cell]["f32"]))
                # Our names, shapes and storage order, as the core's (core/model/param_layout.cpp) ...
                data = read(files[cell]["f32"])
                offset = {name: data.index(raw.tobytes()) for name, (_, _, raw) in entries.items()}
                self.assertEqual(list(ct.our_tensor_shapes(config)), sorted(entries, key=offset.get))
                for name, shape in ct.our_tensor_shapes(config).items():
                    self.assertEqual(entries[name][1], shape, name)
                # ... become exactly the module's parameters, and come back unchanged.
                state = ct.ours_to_torch(config, tensors)
                module_state = ct.CharRNN(**config).state_dict()
                self.assertEqual(set(state), set(module_state))
                for name, value in module_state.items():
                    self.assertEqual(state[name].shape, value.shape, name)
                back = ct.torch_to_ours(config, state)
                self.assertEqual(set(back), set(tensors))
                for name in tensors:
                    np.testing.assert_array_equal(back[name], tensors[name], err_msg=name)

    def test_gate_blocks_land_where_pytorch_expects_them(self):
        # An LSTM whose only non-zero weight is our o gate's bias: PyTorch's o block is its 4th.
        config = {"cell": "lstm", "vocab_size": 3, "embed_size": 2, "hidden_size": 2, "layers": 1, "dropout": 0.0}
        tensors = {n: np.zeros(s, np.float32) for n, s in ct.our_tensor_shapes(config).items()}
        tensors["layer0.b"][4:6] = [7.0, 8.0]  # ours: i f o g -> o is block 2
        state = ct.ours_to_torch(config, tensors)
        np.testing.assert_array_equal(state["rnn.bias_ih_l0"].numpy(), [0, 0, 0, 0, 0, 0, 7, 8])
        # A GRU's bhn is PyTorch's b_hn, the n block of bias_hh.
        config = {**config, "cell": "gru"}
        tensors = {n: np.zeros(s, np.float32) for n, s in ct.our_tensor_shapes(config).items()}
        tensors["layer0.bhn"][:] = [5.0, 6.0]
        state = ct.ours_to_torch(config, tensors)
        np.testing.assert_array_equal(state["rnn.bias_hh_l0"].numpy(), [0, 0, 0, 0, 5, 6])


class CoreFiles(unittest.TestCase):
    def test_core_model_files_load_and_save_again_byte_for_byte(self):
        for cell in CELLS:
            for kind in ("trained", "f32", "f16"):
                with self.subTest(cell=cell, kind=kind):
                    model, vocab = ct.load(files[cell][kind])
                    self.assertEqual(ct.model_file_bytes(model, vocab, f16=kind == "f16"), read(files[cell][kind]))

    def test_per_layer_core_files_load_and_save_again_byte_for_byte(self):
        for cell in CELLS:
            with self.subTest(cell=cell):
                model, vocab = ct.load(files[cell]["per_layer"])
                self.assertEqual(model.config["hidden_sizes"], [20, 12])
                self.assertEqual(ct.model_file_bytes(model, vocab), read(files[cell]["per_layer"]))
                from_checkpoint, _ = ct.load(files[cell]["per_layer_checkpoint"])
                self.assertEqual(ct.model_file_bytes(from_checkpoint, vocab), read(files[cell]["per_layer"]))

    def test_uniform_models_write_no_hidden_sizes(self):
        model, vocab = ct.load(files["lstm"]["f32"])
        self.assertNotIn("hidden_sizes", model.config)
        self.assertNotIn("hidden_sizes", ct.read_safetensors(ct.model_file_bytes(model, vocab))[0]["model_config"])
        equal = ct.CharRNN("gru", 5, 4, 8, 2, hidden_sizes=[8, 8])
        self.assertIsNone(equal.hidden_sizes)
        self.assertEqual(type(equal.rnn), torch.nn.GRU)

    def test_bad_hidden_sizes_are_refused_like_the_core(self):
        import json
        path = files["gru"]["per_layer"]
        config = json.loads(ct.read_safetensors(read(path))[0]["model_config"])
        for sizes in ([20], [20, 12, 6], [20, -12], [20, 0], [20, 12.5], [20, "12"], [20, True], [], "20,12",
                      [20, 1 << 21]):
            with self.subTest(sizes=sizes):
                bad = rewrite(path, tmp.file("bad_sizes.safetensors"),
                              {"model_config": json.dumps({**config, "hidden_sizes": sizes}, separators=(",", ":"))})
                with self.assertRaises(ct.CharRnnFormatError) as caught:
                    ct.load(bad)
                self.assertEqual(str(caught.exception), core_refusal(bad))

    def test_float16_rounding_is_the_cores(self):
        for cell in CELLS:
            with self.subTest(cell=cell):
                model, vocab = ct.load(files[cell]["f32"])
                self.assertEqual(ct.model_file_bytes(model, vocab, f16=True), read(files[cell]["f16"]))

    def test_checkpoints_load_with_their_extras_ignored(self):
        for cell in CELLS:
            with self.subTest(cell=cell):
                meta, entries = ct.read_safetensors(read(files[cell]["checkpoint"]))
                self.assertIn("trainer_state", meta)
                self.assertTrue(any(n.startswith("optimizer.") for n in entries))
                from_checkpoint, vocab = ct.load(files[cell]["checkpoint"])
                from_model, _ = ct.load(files[cell]["f32"])
                for (name, a), (_, b) in zip(from_checkpoint.state_dict().items(), from_model.state_dict().items()):
                    self.assertTrue(torch.equal(a, b), name)
                self.assertEqual(ct.model_file_bytes(from_checkpoint, vocab), read(files[cell]["f32"]))

    def test_save_writes_a_file_the_cli_reads(self):
        model, vocab = ct.load(files["gru"]["f32"])
        out = tmp.file("saved.safetensors")
        ct.save(model, vocab, out)
        info = run_cli("info", "--model", out)
        self.assertIn("cell:        gru", info)
        self.assertIn("parameters:  ", info)
        self.assertEqual(read(out), read(files["gru"]["f32"]))


class Progress(unittest.TestCase):
    """The iteration (and validation loss) a file records travels with the weights through PyTorch."""

    def test_the_iteration_a_core_file_records_is_kept_and_written_again(self):
        meta, _ = ct.read_safetensors(read(files["gru"]["f32"]))
        self.assertEqual(meta["iteration"], "20")
        model, vocab = ct.load(files["gru"]["f32"])
        self.assertEqual((model.iteration, model.val_loss), (20, None))
        out = tmp.file("iter.safetensors")
        ct.save(model, vocab, out, iteration=35)
        self.assertIn("iteration:   35", run_cli("info", "--model", out))
        self.assertEqual(ct.load(out)[0].iteration, 35)

    def test_a_trained_model_records_the_step_and_validation_loss_of_its_weights(self):
        model, _ = ct.load(files["gru"]["trained"])
        self.assertGreater(model.iteration, 0)
        self.assertLess(model.val_loss, 5.0)

    def test_a_validation_loss_round_trips(self):
        path = rewrite(files["lstm"]["f32"], tmp.file("loss.safetensors"), metadata={"val_loss": "1.4375"})
        model, vocab = ct.load(path)
        self.assertEqual(model.val_loss, 1.4375)
        # (rewrite() stores the tensors in another order than the core, so the metadata is compared)
        self.assertEqual(ct.read_safetensors(ct.model_file_bytes(model, vocab))[0], ct.read_safetensors(read(path))[0])

    def test_files_from_before_load_without_an_iteration(self):
        meta, entries = ct.read_safetensors(read(files["rnn"]["f32"]))
        del meta["iteration"]
        path = tmp.file("old.safetensors")
        with open(path, "wb") as f:
            f.write(ct.write_safetensors(meta, [(n, np.frombuffer(raw, "<f4").reshape(shape), "F32")
                                                for n, (_, shape, raw) in entries.items()]))
        model, vocab = ct.load(path)
        self.assertIsNone(model.iteration)
        self.assertNotIn("iteration", ct.read_safetensors(ct.model_file_bytes(model, vocab))[0])
        self.assertIn("iteration:   0", run_cli("info", "--model", path))

    def test_bad_progress_is_refused_like_the_core(self):
        for key, value, expected in (("iteration", "-1", "its iteration is -1"), ("iteration", "2.5", "its iteration is 2.5"),
                                     ("val_loss", "-0.5", "its validation loss is -0.5")):
            with self.subTest(key=key, value=value):
                path = rewrite(files["gru"]["f32"], tmp.file(f"bad-{key}.safetensors"), metadata={key: value})
                with self.assertRaises(ct.CharRnnFormatError) as caught:
                    ct.load(path)
                self.assertIn(expected, str(caught.exception))
                self.assertIn(expected, core_refusal(path))


class LinesMode(unittest.TestCase):
    """A model trained on lines (`--lines`: its file says `examples: lines`) stays one through PyTorch:
    the page and the CLI then go on training and sampling it line by line."""

    @classmethod
    def setUpClass(cls):
        names = tmp.file("names.txt", "Anna\nBoris\nCarla\nDmitri\nElena\nFiona\nGustav\nHelga\n")
        cls.path = tmp.file("lines.safetensors")
        cli_train(names, cls.path, "--lines", "--val-fraction", "0", "--cell", "gru", "--layers", "1",
                  "--hidden", "16", "--embed", "8", "--max-steps", "10", "--batch", "4", "--seq-len", "8")

    def test_the_lines_mark_is_kept_and_written_again(self):
        self.assertEqual(ct.read_safetensors(read(self.path))[0]["examples"], "lines")
        model, vocab = ct.load(self.path)
        self.assertEqual(model.examples, "lines")
        self.assertEqual(ct.model_file_bytes(model, vocab), read(self.path), "the same file, mark included")
        out = tmp.file("lines-again.safetensors")
        ct.save(model, vocab, out)
        self.assertIn("trained on:  lines", run_cli("info", "--model", out))

    def test_a_stream_model_has_no_mark(self):
        model, vocab = ct.load(files["gru"]["f32"])
        self.assertIsNone(model.examples)
        self.assertNotIn("examples", ct.read_safetensors(ct.model_file_bytes(model, vocab))[0])

    def test_an_unknown_mark_is_refused_like_the_core(self):
        path = rewrite(self.path, tmp.file("bad-examples.safetensors"), metadata={"examples": "words"})
        with self.assertRaises(ct.CharRnnFormatError) as caught:
            ct.load(path)
        expected = "its metadata's 'examples' is 'words'"
        self.assertIn(expected, str(caught.exception))
        self.assertIn(expected, core_refusal(path))


class BadFiles(unittest.TestCase):
    def assertRefusedLikeTheCore(self, path, expected_start):
        with self.assertRaises(ct.CharRnnFormatError) as caught:
            ct.load(path)
        message = str(caught.exception)
        self.assertTrue(message.startswith(expected_start), message)
        self.assertEqual(message, core_refusal(path))

    def test_an_unknown_format_version(self):
        path = rewrite(files["lstm"]["f32"], tmp.file("v2.safetensors"), metadata={"format_version": "2"})
        self.assertRefusedLikeTheCore(path, "This model file cannot be used: it has format version 2; this build reads version 1.")

    def test_a_missing_tensor(self):
        path = rewrite(files["gru"]["f32"], tmp.file("missing.safetensors"), drop=("layer1.bhn",))
        self.assertRefusedLikeTheCore(path, "This is not a valid model file: the tensor 'layer1.bhn' is missing.")

    def test_a_shape_mismatch(self):
        # layer0.wx stored in PyTorch's layout [G*H, I] instead of ours [I, G*H].
        config, _, tensors, _ = ct.read_model_file(read(files["lstm"]["f32"]))
        path = rewrite(files["lstm"]["f32"], tmp.file("shape.safetensors"), replace={"layer0.wx": tensors["layer0.wx"].T})
        self.assertRefusedLikeTheCore(
            path, "This is not a valid model file: the tensor 'layer0.wx' has shape [64, 8] but the configuration says [8, 64]")

    def test_other_bad_files(self):
        config, _, tensors, _ = ct.read_model_file(read(files["rnn"]["f32"]))
        nan = tensors["output.b"].copy()
        nan[3] = np.nan
        cases = {
            "not_ours": ({"format": "something-else"}, {}, (), "This model file cannot be used: it is not a char-rnn model"),
            "nan": ({}, {"output.b": nan}, (), "This model file cannot be used: its weights contain NaN"),
            "vocab": ({"vocab": "[10, 32]"}, {}, (), "This model file cannot be used: its vocabulary has 2 symbols"),
            "config": ({"model_config": '{"cell": "lstm"}'}, {}, (), "The model file's model configuration has no"),
            "extra": ({}, {"layer0.extra": np.zeros(3, np.float32)}, (), "This model file cannot be used: it holds 1 tensor"),
        }
        for name, (metadata, replace, drop, expected) in cases.items():
            with self.subTest(name):
                path = tmp.file(f"{name}.safetensors")
                meta, entries = ct.read_safetensors(read(files["rnn"]["f32"]))
                meta.update(metadata)
                tensors_out = [(n, replace.get(n, np.frombuffer(raw, "<f4").reshape(shape)), "F32")
                               for n, (_, shape, raw) in entries.items()]
                tensors_out += [(n, a, "F32") for n, a in replace.items() if n not in entries]
                with open(path, "wb") as f:
                    f.write(ct.write_safetensors(meta, tensors_out))
                if name == "config":  # the core's message has the same words but names no field order
                    with self.assertRaises(ct.CharRnnFormatError) as caught:
                        ct.load(path)
                    self.assertTrue(str(caught.exception).startswith(expected), str(caught.exception))
                    core_refusal(path)
                else:
                    self.assertRefusedLikeTheCore(path, expected)

    def test_broken_containers(self):
        data = read(files["lstm"]["f32"])
        for name, blob, expected in (
            ("empty", b"", "This is not a valid model file: the file is empty."),
            ("truncated", data[:len(data) // 2], "This is not a valid model file: the tensor"),
            ("header", data[:8] + b"}" + data[9:], "This is not a valid model file: its header is not valid JSON."),
            ("short", b"abc", "This is not a valid model file: the file is only 3 bytes long."),
        ):
            with self.subTest(name):
                path = tmp.file(f"broken_{name}.safetensors")
                with open(path, "wb") as f:
                    f.write(blob)
                self.assertRefusedLikeTheCore(path, expected)

    def test_save_refuses_what_the_core_would_not_read(self):
        model, vocab = ct.load(files["lstm"]["f32"])
        with self.assertRaisesRegex(ValueError, "sorted"):
            ct.model_file_bytes(model, list(reversed(vocab)))
        with self.assertRaisesRegex(ValueError, "symbols but the model's output layer has"):
            ct.model_file_bytes(model, vocab[:-1])
        with torch.no_grad():
            model.output.bias[0] = float("inf")
        with self.assertRaisesRegex(ValueError, "NaN or infinite"):
            ct.model_file_bytes(model, vocab)


if __name__ == "__main__":
    unittest.main()
