"""Headless Chromium driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`): no driver, no package
beyond the standard library. Used by the docs site's browser test."""
import base64, fcntl, json, os, select, shutil, subprocess, tempfile, time
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


def _high_fd(fd):
    "A copy of `fd` numbered 10 or more; `fd` is closed."
    high = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return high


class Chromium:
    "A headless Chromium with a fresh profile and one page; `call` sends a DevTools command to that page."

    def __init__(self, width=1280, height=900, timeout=60):
        self.timeout, self.next_id, self.buf, self.events, self.errors = timeout, 0, b"", [], []
        self.profile = tempfile.mkdtemp(prefix="kd-chromium-")
        cmd_r, self.cmd_w = os.pipe()   # Chromium reads commands on its fd 3 and writes answers on its fd 4
        self.out_r, out_w = os.pipe()
        cmd_r, out_w = (_high_fd(fd) for fd in (cmd_r, out_w))   # so that bash's 3<& 4>& cannot clobber them
        args = [*FLAGS, f"--user-data-dir={self.profile}", f"--window-size={width},{height}", "--remote-debugging-pipe"]
        self.proc = subprocess.Popen(["bash", "-c", f'exec "$0" "$@" 3<&{cmd_r} 4>&{out_w}', str(CHROMIUM), *args, "about:blank"],
                                     pass_fds=(cmd_r, out_w), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(cmd_r), os.close(out_w)
        try:
            page = next(t for t in self.call("Target.getTargets", session=None)["targetInfos"] if t["type"] == "page")
            self.session = self.call("Target.attachToTarget", {"targetId": page["targetId"], "flatten": True}, session=None)["sessionId"]
            for domain in ("Page", "Runtime", "Log"): self.call(f"{domain}.enable")
        except BaseException: self.close(); raise

    def _message(self):
        "The next message from Chromium."
        deadline = time.monotonic() + self.timeout
        while b"\0" not in self.buf:
            if not select.select([self.out_r], [], [], max(0, deadline - time.monotonic()))[0]:
                raise TimeoutError(f"Chromium did not answer within {self.timeout} s")
            chunk = os.read(self.out_r, 1 << 16)
            if not chunk: raise ConnectionError("Chromium closed its DevTools pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=""):
        "Send a DevTools command (to the page's session unless `session` is None); return its result."
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session is not None: msg["sessionId"] = session or self.session
        data = json.dumps(msg).encode() + b"\0"
        while data: data = data[os.write(self.cmd_w, data):]
        while True:
            reply = self._message()
            if reply.get("id") == self.next_id:
                if "error" in reply: raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            self.events.append(reply)

    def wait_event(self, method):
        "Wait for the page's event `method`; return its parameters."
        while True:
            event = self.events.pop(0) if self.events else self._message()
            if event.get("method") == method: return event["params"]
            self.errors_from(event)

    def errors_from(self, event):
        "Record a JavaScript exception, console error or failed load of the page."
        method, p = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown": self.errors.append(p["exceptionDetails"].get("exception", {}).get("description", str(p)))
        elif method == "Log.entryAdded" and p["entry"]["level"] == "error": self.errors.append(f"{p['entry']['text']} {p['entry'].get('url', '')}")
        elif method == "Runtime.consoleAPICalled" and p["type"] == "error": self.errors.append(str(p["args"]))

    def goto(self, url):
        "Load `url` and wait for its load event; `errors` then lists what went wrong on the page."
        self.errors, self.events = [], []
        self.call("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired")

    def evaluate(self, js):
        "The value of the JavaScript expression `js` in the page (awaited if it is a promise)."
        res = self.call("Runtime.evaluate", {"expression": js, "awaitPromise": True, "returnByValue": True})
        if "exceptionDetails" in res: raise RuntimeError(f"JavaScript error: {res['exceptionDetails']}")
        for event in self.events: self.errors_from(event)
        self.events = []
        return res["result"].get("value")

    def screenshot(self, path):
        "Save a PNG of the whole page at `path`."
        size = self.call("Page.getLayoutMetrics")["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        png = self.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip})["data"]
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_bytes(base64.b64decode(png))

    def close(self):
        try: self.call("Browser.close", session=None)
        except (OSError, RuntimeError, TimeoutError, ConnectionError): pass
        try: self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired: self.proc.kill(); self.proc.wait()
        os.close(self.cmd_w), os.close(self.out_r)
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self): return self
    def __exit__(self, *exc): self.close()
