"""An explorer in a live kernel: JupyterLab (pinned in the lock) driven by Debian chromium.

JupyterLab serves a copy of a chapter (converted from MyST Markdown with jupytext) on
127.0.0.1; chromium (playwright, every request elsewhere blocked) opens it, runs every
cell, and waits for the explorer that anywidget draws from the widget's ES module
(the same front end as the static site).  Then a control is moved by keyboard: the
numbers and the figure update, and the kernel's widget state follows (read through a
second client on the same kernel).  Setting the value from Python moves the page too.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from _book import ROOT, source_path

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(240)]

CHAPTER, EXPLORER = "book/order_books", "slippage"
READ = "root => ({values: JSON.parse(root.dataset.values), table: root.querySelector('table').textContent, " \
       "figure: [...root.querySelectorAll('svg path[d]')].map(p => p.getAttribute('d')).join('|')})"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    pytest.importorskip("jupyterlab")
    jupytext = pytest.importorskip("jupytext")
    work = tmp_path_factory.mktemp("lab")
    nb = jupytext.read(source_path(CHAPTER))
    jupytext.write(nb, work / "chapter.ipynb")
    for extra in ("references.bib",):  # files a chapter may read next to it
        if (ROOT / "book" / extra).exists():
            shutil.copy(ROOT / "book" / extra, work / extra)
    # every cell stays in the page (no windowed notebook): the explorer can be scrolled to
    settings = work / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    port = _free_port()
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(work / "runtime"),
           "JUPYTER_CONFIG_DIR": str(work / "config"), "JUPYTERLAB_WORKSPACES_DIR": str(work / "ws"),
           "JUPYTERLAB_SETTINGS_DIR": str(work / "settings"),
           "LIQLEARN_STRICT_CHECKS": "1"}
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
           "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=", "--ServerApp.password=",
           "--ServerApp.disable_check_xsrf=True", f"--ServerApp.root_dir={work}",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           "--LabApp.news_url=", "--LabApp.extension_manager=readonly", "--allow-root"]
    log = open(work / "lab.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/api/status", timeout=1)
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"jupyter lab exited: {(work / 'lab.log').read_text()[-2000:]}")
                time.sleep(0.5)
        yield base, work
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _kernel_client(base: str, work: Path):
    """A second client on the notebook's kernel (connection file in the lab's runtime dir)."""
    from jupyter_client import BlockingKernelClient

    sessions = json.load(urllib.request.urlopen(f"{base}/api/sessions"))
    kid = sessions[0]["kernel"]["id"]
    client = BlockingKernelClient(connection_file=str(work / "runtime" / f"kernel-{kid}.json"))
    client.load_connection_file()
    client.start_channels()
    client.wait_for_ready(timeout=30)
    return client


def _run(client, code: str) -> str:
    out = []
    client.execute_interactive(code, output_hook=lambda m: out.append(m["content"]["text"]) if (
        m["msg_type"] == "stream" and m["content"].get("name") == "stdout") else None, timeout=60)
    return "".join(out).strip().splitlines()[-1] if out else ""


WIDGET = ("import json, ipywidgets\n"
          "w = next(w for w in ipywidgets.Widget.widgets.values() "
          f"if getattr(w, 'explorer', '') == {EXPLORER!r})\n")


def test_explorer_in_jupyterlab(lab, browser):
    base, work = lab
    problems: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith((base, "data:", "blob:"))
                  else (problems.append(f"blocked {r.request.url}"), r.abort()))
    page = context.new_page()
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    try:
        page.goto(f"{base}/lab/tree/chapter.ipynb", wait_until="load", timeout=60_000)
        page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=60_000)
        page.get_by_text("| Idle").wait_for(timeout=60_000)  # the kernel is up
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        root = page.locator(f".lqx[data-explorer='{EXPLORER}']")
        root.wait_for(state="attached", timeout=150_000)
        root.scroll_into_view_if_needed()
        page.wait_for_function("() => document.querySelector('.jp-Notebook-ExecutionIndicator, "
                               ".jp-StatusBar-TextItem') !== null")
        before = root.evaluate(READ)
        client = _kernel_client(base, work)
        try:
            # the browser moves a control: the view updates, the kernel's state follows
            root.locator("[data-control='size'] input").focus()
            page.keyboard.press("End")
            page.wait_for_function(
                "root => JSON.parse(root.dataset.values).size === 60", arg=root.element_handle())
            after = root.evaluate(READ)
            assert after["table"] != before["table"] and after["figure"] != before["figure"]
            deadline = time.time() + 20
            while True:
                shown = json.loads(_run(client, WIDGET + "print('\\n' + json.dumps(w.values))"))
                if shown["size"] == 60 or time.time() > deadline:
                    break
                time.sleep(0.3)
            assert shown == after["values"], "the kernel's widget state did not follow the control"
            # and Python sets a value: the page follows
            _run(client, WIDGET + "w.values = {**w.values, 'size': 12.5}")
            page.wait_for_function(
                "root => JSON.parse(root.dataset.values).size === 12.5", arg=root.element_handle(),
                timeout=20_000)
            assert "12.5 BTC" in root.locator("table").text_content()
        finally:
            client.stop_channels()
        assert not [p for p in problems if "page error" in p], "\n".join(problems)
    finally:
        context.close()
