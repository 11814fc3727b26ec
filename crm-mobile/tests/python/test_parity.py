"""The parity scenario (tests/parity/scenario.json) through the uniffi-generated Python
bindings: every step calls its use case by name on the store's namespace
(``store.leads().capture(...)``) with its arguments as the generated typed records, built by
the library's parity support (crm-mobile/src/parity.rs), and hands the result back to be
compared as crm-core's JSON. A method missing or mis-wired fails the step; a declared use
case the scenario never calls fails the coverage check."""

import pathlib

from crm_ffi import crm_core as core
from crm_ffi import crm_mobile as mobile

SCENARIO = pathlib.Path(__file__).resolve().parents[3] / "tests/parity/scenario.json"


def test_the_parity_scenario_passes_through_the_uniffi_bindings():
    run = mobile.ParityRun(SCENARIO.read_text())
    store = mobile.CrmStore.in_memory(run.region())
    for i, step in enumerate(run.steps()):
        at = f"step {i} ({step.namespace}.{step.name})"
        namespace = getattr(store, step.namespace)()
        method = getattr(namespace, step.name, None)
        assert callable(method), f"{at}: {step.namespace}().{step.name} is missing"
        key = f"parity_{step.namespace}_{step.name}"
        result, code = None, None
        try:
            if step.as_user is not None:
                # the call is made through a handle bound to that user (refused: forbidden)
                method = getattr(getattr(store.as_user(step.as_user), step.namespace)(), step.name)
            args = getattr(mobile, f"{key}_args")(run.args(i))
            # the record's fields are the parameters, by name
            result = getattr(mobile, f"{key}_result")(method(**vars(args)))
        except core.CrmError as e:
            code = e.code
        run.judge(i, result, code)
    assert run.uncovered() == []
