"""Shared by the Python tests: where the CLI, the WASM build and the Python module live, and how to
run each. Not a test module itself (unittest discovers test_*.py)."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PYTHON_DIR = os.path.join(ROOT, "python")
sys.path.insert(0, PYTHON_DIR)

import charrnn_torch as ct  # noqa: E402,F401  (the module under test, for the test modules)

CLI = os.environ.get("CHARRNN_CLI", os.path.join(ROOT, "build", "native", "cli", "charrnn"))
CORE_ENGINE = os.path.join(ROOT, "tests", "python", "core_engine.mjs")
TRAIN_PY = os.path.join(PYTHON_DIR, "train.py")
TORCHRUN_PY = os.path.join(PYTHON_DIR, "torchrun.py")
SHAKESPEARE = os.path.join(ROOT, "examples", "corpora", "tinyshakespeare.txt")
NAMES = os.path.join(ROOT, "examples", "corpora", "proper-names.txt")


def require_builds():
    for path, build in ((CLI, "native"), (os.path.join(ROOT, "build", "wasm", "charrnn.js"), "wasm")):
        if not os.path.exists(path):
            raise RuntimeError(f"{path} is missing: run scripts/build.sh {build} first.")


class TempDir:
    def __init__(self, prefix):
        self.path = tempfile.mkdtemp(prefix=f"charrnn-py-{prefix}-")

    def file(self, name, text=None):
        path = os.path.join(self.path, name)
        if text is not None:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        return path

    def remove(self):
        shutil.rmtree(self.path, ignore_errors=True)


def run_cli(*args):
    """charrnn ARGS...; raises with its stderr unless it exits 0; returns stdout as str."""
    r = subprocess.run([CLI, *map(str, args)], capture_output=True)
    if r.returncode != 0:
        raise AssertionError(f"charrnn {' '.join(map(str, args))} exited {r.returncode}:\n{r.stderr.decode()}")
    return r.stdout.decode("utf-8")


def cli_train(text_file, out, *args):
    """A model file from the CLI (checkpoints go to a directory beside `out`)."""
    run_cli("train", "--data", text_file, "--quiet", "--checkpoint-dir", out + ".checkpoints", "--save", out, *args)
    return out


def core(request):
    """One request to the WASM engine under Node (see core_engine.mjs)."""
    r = subprocess.run(["node", CORE_ENGINE, json.dumps(request)], capture_output=True)
    if r.returncode != 0:
        raise AssertionError(f"core_engine.mjs failed:\n{r.stderr.decode()}")
    return json.loads(r.stdout)


def python_train(*args, env=None):
    """python/train.py ARGS... --log-json; returns (step records, stderr)."""
    r = subprocess.run([sys.executable, TRAIN_PY, "--log-json", *map(str, args)], capture_output=True,
                       env=env, timeout=600)
    if r.returncode != 0:
        raise AssertionError(f"train.py exited {r.returncode}:\n{r.stderr.decode()}")
    return [json.loads(line) for line in r.stdout.decode().splitlines()], r.stderr.decode()


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def loopback_env():
    """Distributed runs stay on this machine: gloo on the loopback interface only."""
    return {**os.environ, "GLOO_SOCKET_IFNAME": "lo", "MASTER_ADDR": "127.0.0.1"}


def read_text(path, chars=None):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return text if chars is None else text[:chars]
