"""A headless Chromium driven over the DevTools protocol, stdlib only, for the browser tests.

``--remote-debugging-pipe`` makes the browser read commands on its fd 3 and answer on fd 4
(JSON messages ended by a NUL byte): no port, no websocket library, no Playwright. Used to
set a phone's viewport, emulate print media and measure the page with ``Runtime.evaluate``.
"""

from __future__ import annotations

import fcntl
import json
import os
import select
import subprocess
import time
from pathlib import Path
from typing import Any

TIMEOUT = 60.0  # seconds for one answer: a loaded 2-core machine is slow, never this slow


class DevTools:
    """One browser with one page (``open``), closed by ``close`` or ``with``."""

    def __init__(self, executable: str, profile: Path, flags: tuple[str, ...] = ()) -> None:
        to_browser, from_browser = os.pipe(), os.pipe()
        # The browser's ends must land on fds 3 and 4 in the child: first move them above
        # any fd that dup2 could clobber.
        read_end = fcntl.fcntl(to_browser[0], fcntl.F_DUPFD, 10)
        write_end = fcntl.fcntl(from_browser[1], fcntl.F_DUPFD, 10)
        os.close(to_browser[0])
        os.close(from_browser[1])

        def child() -> None:
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        self.process = subprocess.Popen(
            [
                executable,
                *flags,
                "--remote-debugging-pipe",
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            preexec_fn=child,  # the test process runs no threads of its own
            close_fds=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(read_end)
        os.close(write_end)
        self._out, self._in = to_browser[1], from_browser[0]
        self._buffer = b""
        self._id = 0
        self.session = ""

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        """One command to the page's session (or the browser before ``open``); its result."""
        self._id += 1
        message: dict[str, Any] = {"id": self._id, "method": method, "params": params}
        if self.session:
            message["sessionId"] = self.session
        os.write(self._out, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            while b"\0" not in self._buffer:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self._in], [], [], left)[0]:
                    raise TimeoutError(f"no answer to {method}")
                chunk = os.read(self._in, 1 << 16)
                if not chunk:
                    raise ConnectionError(f"the browser closed during {method}")
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            answer = json.loads(raw)
            if answer.get("id") == self._id:  # events and other answers are skipped
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                result: dict[str, Any] = answer["result"]
                return result

    def open(self, page: Path, width: int, height: int, *, mobile: bool) -> None:
        """Load ``page`` in a new tab of ``width`` × ``height`` CSS pixels (``mobile``: as a
        phone does, with the page's viewport meta tag)."""
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=mobile,
        )
        self.send("Page.navigate", url=page.resolve().as_uri())
        deadline = time.monotonic() + TIMEOUT
        while self.evaluate("document.readyState") != "complete":
            if time.monotonic() > deadline:
                raise TimeoutError(f"{page} did not load")
            time.sleep(0.1)

    def media(self, media: str) -> None:
        """Emulate a CSS media type: ``print`` or ``""`` (the screen)."""
        self.send("Emulation.setEmulatedMedia", media=media)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (JSON-able)."""
        done = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in done:
            raise RuntimeError(done["exceptionDetails"])
        return done["result"].get("value")

    def close(self) -> None:
        os.close(self._out)  # the browser exits when its pipe closes
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._in)

    def __enter__(self) -> DevTools:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
