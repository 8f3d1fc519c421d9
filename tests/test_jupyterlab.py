"""The course in JupyterLab, as a learner runs it: JupyterLab started on loopback, the soft-labels notebook opened in
headless Chromium (over the DevTools protocol, as the docs-site test drives it), every cell run, the temperature slider
moved, and the chart checked to have changed. It runs a copy of the notebook, so the tracked one is never rewritten.
A screenshot goes to artifacts/jupyterlab/."""
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from nbdev.config import get_config

from kd_nb.testing import free_port
from tests.chromium import CHROMIUM, Chromium

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts" / "jupyterlab"
NOTEBOOK = get_config().path("nbs_path") / "00_soft_labels.ipynb"

JUPYTER_LAB = Path(sys.executable).parent / "jupyter-lab"   # the dev extra's, beside this Python

pytestmark = pytest.mark.skipif((not CHROMIUM.exists() or not JUPYTER_LAB.exists()) and not os.environ.get("CI"),   # in CI: run, and fail if missing
                                reason="needs Chromium (`apt-get install chromium`, as .ci/run does) and JupyterLab (the dev extra)")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    "JupyterLab serving a folder with a copy of the notebook, on 127.0.0.1, with its own settings: (base URL, token, folder)."
    tmp = tmp_path_factory.mktemp("lab")
    (tmp / "course").mkdir()
    shutil.copy(NOTEBOOK, tmp / "course" / NOTEBOOK.name)
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp / "config"), "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"), "TF_CPP_MIN_LOG_LEVEL": "2"}
    cmd = [str(JUPYTER_LAB), "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp / 'course'}", "--LabApp.expose_app_in_browser=True",
           f"--LabApp.user_settings_dir={tmp / 'settings'}", f"--LabApp.workspaces_dir={tmp / 'workspaces'}", "--LabApp.news_url=",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", *(["--allow-root"] if os.geteuid() == 0 else [])]
    log = open(tmp / "jupyterlab.log", "w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=tmp / "course")
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{url}api/status?token={token}", timeout=2): break
            except OSError: time.sleep(0.5)
            if proc.poll() is not None: break
        else: pytest.fail(f"JupyterLab did not start in 60 s: {(tmp / 'jupyterlab.log').read_text()[-2000:]}")
        assert proc.poll() is None, (tmp / "jupyterlab.log").read_text()[-2000:]
        yield url, token, tmp / "course"
    finally:
        proc.terminate()
        try: proc.wait(timeout=20)
        except subprocess.TimeoutExpired: proc.kill(); proc.wait()
        log.close()


def _poll(chromium, js, timeout, what):
    "Evaluate `js` every half second until it is truthy; return its value."
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = chromium.evaluate(js)
        if value: return value
        time.sleep(0.5)
    raise AssertionError(f"{what}: not within {timeout} s")


NOTEBOOK_STATE = """(() => {
  const panel = window.jupyterapp && Array.from(jupyterapp.shell.widgets("main")).find(w => w.sessionContext && w.content);
  if (!panel || !panel.content || !panel.sessionContext || !panel.sessionContext.session) return null;
  const cells = panel.content.widgets.filter(c => c.model.type === "code");
  const outputs = cells.map(c => c.model.sharedModel.outputs || []);
  return {kernel: panel.sessionContext.session.kernel && panel.sessionContext.session.kernel.status,
          cells: cells.length, run: cells.filter(c => c.model.executionCount !== null).length,
          busy: panel.content.widgets.some(c => c.model.type === "code" && c.promptNode && c.promptNode.textContent.includes("*")),
          errors: outputs.flat().filter(o => o.output_type === "error").map(o => o.ename + ": " + o.evalue)};
})()"""

CHART = """(() => { const img = document.querySelector(".widget-interact .widget-output img"); return img ? img.src : null; })()"""


def test_soft_labels_notebook_runs_and_its_slider_redraws_the_chart(lab):
    url, token, folder = lab
    with Chromium(width=1280, height=1000, timeout=120) as chromium:
        chromium.goto(f"{url}lab/tree/{NOTEBOOK.name}?token={token}")
        _poll(chromium, f"(() => {{ const s = {NOTEBOOK_STATE}; return s && s.kernel === 'idle' && s.cells > 5; }})()", 120, "the notebook opened and its kernel ready")
        chromium.evaluate('(() => { const panel = Array.from(jupyterapp.shell.widgets("main")).find(w => w.sessionContext); jupyterapp.shell.activateById(panel.id); })()')
        chromium.evaluate('jupyterapp.commands.execute("notebook:run-all-cells")')
        state = _poll(chromium, f"(() => {{ const s = {NOTEBOOK_STATE}; return s && !s.busy && s.kernel === 'idle' && (s.run === s.cells || s.errors.length) && s; }})()",
                      300, "every cell run")
        assert state["errors"] == [] and state["run"] == state["cells"], state
        before = _poll(chromium, CHART, 60, "the slider's chart drawn")
        readout = chromium.evaluate('document.querySelector(".widget-interact .widget-readout").textContent')
        chromium.evaluate('document.querySelector(".widget-interact .noUi-handle").focus()')
        for _ in range(20):
            for kind in ("keyDown", "keyUp"):
                chromium.call("Input.dispatchKeyEvent", {"type": kind, "key": "ArrowRight", "code": "ArrowRight", "windowsVirtualKeyCode": 39})
        after = _poll(chromium, f"(() => {{ const src = {CHART}; return src && src !== {json.dumps(before)} && src; }})()", 60, "the chart redrawn after the slider moved")
        moved = chromium.evaluate('document.querySelector(".widget-interact .widget-readout").textContent')
        chromium.screenshot(ARTIFACTS / "soft_labels.png")
    assert float(moved) > float(readout) and after != before, (readout, moved)
    assert (ARTIFACTS / "soft_labels.png").stat().st_size > 20_000
