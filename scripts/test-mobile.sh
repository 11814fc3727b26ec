#!/usr/bin/env bash
# crm-mobile's suites: generates the bindings (scripts/gen-mobile.sh), then
#   kotlin  — the generated Kotlin and crm-mobile/tests/kotlin compiled with kotlinc (npm
#             `kotlin-compiler`) and run on the JVM with JNA (Debian `libjna-java`);
#   python  — the uniffi-generated Python bindings under pytest (crm-mobile/tests/python);
#   swift   — no Swift toolchain here: the sources, headers and modulemaps are checked.
#   bash scripts/test-mobile.sh kotlin|python|swift   (after gen; scripts/test.sh runs all)
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/mobile

vectors() {
  # the shared scoring vectors as plain files the JVM test reads without a JSON library
  mkdir -p "$out/vectors"
  python3 - "$out/vectors" <<'PY'
import json, sys, pathlib
out = pathlib.Path(sys.argv[1])
v = json.loads(pathlib.Path("tests/vectors/logistic_scores.json").read_text())
(out / "model.json").write_text(v["model_file"])
(out / "shape.txt").write_text(f"{v['rows']}\n{v['cols']}\n")
(out / "x.txt").write_text("\n".join(repr(x) for x in v["x"]) + "\n")
(out / "probabilities.txt").write_text("\n".join(repr(p) for p in v["probabilities"]) + "\n")
PY
}

kotlin() {
  local kt=crm-mobile/tests/kotlin
  (cd "$kt" && npm install --no-audit --no-fund --loglevel=error)
  local kotlinc=$kt/node_modules/kotlin-compiler/bin/kotlinc
  local lib=$kt/node_modules/kotlin-compiler/lib
  chmod +x "$kt"/node_modules/kotlin-compiler/bin/*
  # JNA loads the library; kotlinx-coroutines (and its atomicfu) run the `suspend` twins
  if [ ! -f /usr/share/java/jna.jar ] || [ ! -f /usr/share/java/kotlinx-coroutines-core.jar ] \
    || [ ! -f /usr/share/java/atomicfu.jar ]; then
    apt-get update -qq && apt-get install -y -qq libjna-java libkotlinx-coroutines-java libkotlinx-atomicfu-java >/dev/null
  fi
  vectors
  local cp="/usr/share/java/jna.jar:/usr/share/java/kotlinx-coroutines-core.jar:/usr/share/java/atomicfu.jar:$lib/kotlin-test.jar"
  "$kotlinc" -nowarn -cp "$cp" -d "$out/crm-mobile-tests.jar" \
    $(find "$out/kotlin" -name '*.kt') "$kt/CrmTest.kt" "$kt/Parity.kt" "$kt/compat/DelicateCoroutinesApi.kt"
  java -Djna.library.path="$out" -Dcrm.vectors="$out/vectors" -Dcrm.scenario=tests/parity/scenario.json \
    -cp "$out/crm-mobile-tests.jar:$cp:$lib/kotlin-stdlib.jar" CrmTestKt
}

python_() {
  PYTHONPATH="$out/python" "${PYTHON:-.venv/bin/python}" -m pytest crm-mobile/tests/python -q -p no:cacheprovider
}

swift() {
  local missing=0
  for f in crm_core.swift crm_coreFFI.h crm_coreFFI.modulemap crm_mobile.swift crm_mobileFFI.h crm_mobileFFI.modulemap; do
    if [ -s "$out/swift/$f" ]; then echo "ok - swift/$f"; else echo "missing - swift/$f"; missing=$((missing + 1)); fi
  done
  grep -qE "(open|public) class CrmStore" "$out/swift/crm_mobile.swift" || { echo "no CrmStore class in the Swift sources"; missing=$((missing + 1)); }
  grep -qE "^(public )?enum CrmError" "$out/swift/crm_core.swift" || { echo "no CrmError enum in the Swift sources"; missing=$((missing + 1)); }
  grep -qE "func checkSlasAsync\(.*\) async throws" "$out/swift/crm_mobile.swift" || { echo "no async twin in the Swift sources"; missing=$((missing + 1)); }
  echo "swift: $((9 - missing)) passed, $missing failed"
  [ "$missing" -eq 0 ]
}

case "${1:-all}" in
  gen) bash scripts/gen-mobile.sh ;;
  kotlin) kotlin ;;
  python) python_ ;;
  swift) swift ;;
  all) bash scripts/gen-mobile.sh && kotlin && python_ && swift ;;
  *) echo "usage: $0 [gen|kotlin|python|swift|all]" >&2; exit 2 ;;
esac
