"""Shared test configuration.

Hypothesis profiles: ``dev`` (default, 100 examples) and ``ci`` (bounded: fewer
examples, no deadline, derandomised so CI is reproducible).  Select with
HYPOTHESIS_PROFILE=ci (``.ci/run`` does).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from _book import CHROMIUM, FLAGS, HTML, require_site, serve

ROOT = Path(__file__).resolve().parents[1]

settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile(
    "ci",
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
os.environ.setdefault("LIQLEARN_STRICT_CHECKS", "1")


# ------------------------------------------------------- browser tests (one of each per session)
@pytest.fixture(scope="session")
def server():
    require_site()
    httpd, base = serve(HTML)
    try:
        yield base
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        msg = f"{CHROMIUM} is missing (`make chromium` installs Debian's chromium)"
        if os.environ.get("LIQLEARN_REQUIRE_BUILD"):
            pytest.fail(msg)
        pytest.skip(msg)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            yield b
        finally:
            b.close()
