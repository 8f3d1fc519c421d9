"The core (soft labels, losses, terms, Distiller) runs unchanged under Keras's JAX backend, with TensorFlow's numbers."
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

HERE = Path(__file__).parent


def run_step(backend, weights):
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run([sys.executable, str(HERE / "backend_step.py"), str(weights)], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(next(l for l in done.stdout.splitlines() if l.startswith("{")))


@pytest.mark.parametrize("backend", ["jax"])
def test_distiller_matches_tensorflow(tmp_path, backend):
    from kd_nb.testing import tiny_mlp
    t, s = tiny_mlp(8, 16, 3, "t", seed=1), tiny_mlp(8, 0, 3, "s", seed=2)
    weights = tmp_path / "weights.npz"
    np.savez(weights, **{f"t{i}": w for i, w in enumerate(t.get_weights())}, **{f"s{i}": w for i, w in enumerate(s.get_weights())})
    reference, other = run_step("tensorflow", weights), run_step(backend, weights)
    assert (reference["backend"], other["backend"]) == ("tensorflow", backend)
    for stage in ("before", "after"):   # the first step's losses, and after an epoch of training
        for name, value in reference[stage].items():
            assert abs(other[stage][name] - value) <= 1e-5 * max(1.0, abs(value)), (stage, name, other[stage][name], value)
