"""Hypothesis profiles: a few hundred cases per property in CI, thousands in `make fuzz`."""

import os

from hypothesis import HealthCheck, settings

# No deadline: time per item is measured by `make fuzz` and the benchmarks, not asserted.
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz",
    max_examples=5000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
