"""Shared test configuration.

Hypothesis profiles: ``dev`` (default, 100 examples) and ``ci`` (bounded: fewer
examples, no deadline, derandomised so CI is reproducible).  Select with
HYPOTHESIS_PROFILE=ci (``.ci/run`` does).
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, settings

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
