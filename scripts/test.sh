#!/usr/bin/env bash
# Everything a fresh machine needs, then every check and every suite of the project.
# Ends with one line "N passed, N failed" over all suites; exits non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."

export CARGO_TERM_COLOR=never
# Line tables only: half the size of target/, backtraces still name lines.
export CARGO_PROFILE_DEV_DEBUG=line-tables-only
# A one-shot run gains nothing from incremental state, and it is the largest part of
# target/ (a CI machine ran out of disk building it).
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL=0; fi

passed=0
failed=0
failed_steps=()
log_dir=$(mktemp -d)

step() { printf '\n== %s (at %d s)\n' "$1" "$SECONDS"; }

# A check that is one pass or fail (fmt, clippy, a build); returns its status.
check() {
  local name=$1; shift
  step "$name"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); failed_steps+=("$name")
    return 1
  fi
}

# A cargo test run: counts every test from its "test result:" lines.
cargo_suite() {
  local name=$1; shift
  local log="$log_dir/$name.log"
  step "$name"
  "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  local p f
  p=$(awk '/^test result:/ { for (i = 1; i < NF; i++) if ($(i + 1) ~ /^passed/) s += $i } END { print s + 0 }' "$log")
  f=$(awk '/^test result:/ { for (i = 1; i < NF; i++) if ($(i + 1) ~ /^failed/) s += $i } END { print s + 0 }' "$log")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  if [ "$status" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
    # The suite failed without a failing test (a build error): count it as one failure.
    failed=$((failed + 1))
  fi
  [ "$status" -eq 0 ] || failed_steps+=("$name")
}

# A throwaway PostgreSQL server for the PostgreSQL store's suites (or the developer's own,
# named by CRM_TEST_POSTGRES_URL); stopped and deleted when this script exits.
source scripts/postgres.sh
check "postgresql server started" postgres_start

check "cargo fmt --check" cargo fmt --all --check
# One feature set for every cargo run (crm-mobile's parity runner is for its tests):
# the mobile bindings are generated from this build's library, no second compile.
features=(--features crm-mobile/parity)
check "cargo clippy" cargo clippy --workspace --all-targets "${features[@]}" --quiet -- -D warnings
check "cargo build (all targets)" cargo build --workspace --all-targets "${features[@]}" --quiet
cargo_suite "rust tests" cargo test --workspace "${features[@]}" --quiet
# The examples run from the binaries the build above made with the whole workspace's
# features: `cargo run --example` builds the root package alone, whose features unify
# differently, and compiled crm-core and its dependencies a second time (two minutes on CI).
# `cargo run --example quickstart`, what the README has a user type, runs the same code.
examples=${CARGO_TARGET_DIR:-target}/debug/examples
check "quickstart runs" "$examples/quickstart" "$log_dir/quickstart.db"
check "lead_scoring example runs" "$examples/lead_scoring"
check "quotation example runs" "$examples/quotation"
check "service_desk example runs" "$examples/service_desk" "$log_dir/service_desk.db"
check "marketing example runs" "$examples/marketing" "$log_dir/marketing.db"
check "records example runs" "$examples/records"
check "access example runs" "$examples/access"

# ---- Python package (crm-py): a venv with the test packages, the wheel, pytest, stubs ----
venv=.venv
py=$venv/bin/python

python_env() {
  if [ ! -x "$py" ]; then python3 -m venv "$venv" || return 1; fi
  "$py" -m pip install --quiet --upgrade pip &&
    "$py" -m pip install --quiet -r crm-py/requirements-dev.txt
}

# Builds the abi3 wheel and installs it into the venv: a debug build, as every test build
# here (it shares the compiled crates of the Rust tests; benchmarks build with --release).
python_wheel() {
  rm -rf target/wheels
  "$venv/bin/maturin" build --quiet -m crm-py/Cargo.toml -o target/wheels &&
    "$py" -m pip install --quiet --force-reinstall --no-deps target/wheels/crm_core-*.whl
}

# A pytest run: counts passed and failed (errors count as failed) from its summary line.
pytest_suite() {
  local name=$1; shift
  local log="$log_dir/$name.log"
  step "$name"
  "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  local summary p f e
  summary=$(grep -E '^=*.* in [0-9.]+s' "$log" | tail -1)
  p=$(echo "$summary" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+')
  f=$(echo "$summary" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+')
  e=$(echo "$summary" | grep -oE '[0-9]+ errors?' | grep -oE '[0-9]+')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0}))
  if [ "$status" -ne 0 ] && [ $((${f:-0} + ${e:-0})) -eq 0 ]; then
    failed=$((failed + 1))
  fi
  [ "$status" -eq 0 ] || failed_steps+=("$name")
}

check "python: venv with test packages" python_env
if check "python: wheel built and installed" python_wheel; then
  pytest_suite "python tests" "$py" -m pytest crm-py/tests -q -p no:cacheprovider
  check "python: stubs match the native module (mypy.stubtest)" \
    "$py" -m mypy.stubtest crm_core._crm_core
  check "python: the package type-checks (mypy)" \
    "$py" -m mypy crm-py/python/crm_core --ignore-missing-imports
  check "python: lead_scoring example runs" "$py" examples/python/lead_scoring.py
  check "python: service_desk example runs" "$py" examples/python/service_desk.py
  check "python: marketing example runs" "$py" examples/python/marketing.py
  check "python: cross_sell example runs" "$py" examples/python/cross_sell.py
fi

# ---- Node package (crm-node): npm dependencies, the addon, node --test, tsc ----
# A node --test run: counts its "# pass N" and "# fail N" lines.
node_suite() {
  local name=$1; shift
  local log="$log_dir/$name.log"
  step "$name"
  "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  local p f
  p=$(awk '/^# pass / { s += $3 } END { print s + 0 }' "$log")
  f=$(awk '/^# fail / { s += $3 } END { print s + 0 }' "$log")
  passed=$((passed + p))
  failed=$((failed + f))
  if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
    failed=$((failed + 1))
  fi
  [ "$status" -eq 0 ] || failed_steps+=("$name")
}

node_deps() { (cd crm-node && npm install --no-audit --no-fund --loglevel=error); }

# Builds the addon (debug: the tests' build) and checks that the generated, committed
# index.js / index.d.ts are what the sources give (types.d.ts, napi's header of index.d.ts,
# is checked by the Rust test tests/node_types.rs).
node_addon() {
  (cd crm-node && npx napi build --platform) &&
    git diff --exit-code --stat -- crm-node/index.js crm-node/index.d.ts
}

check "node: npm dependencies" node_deps
if check "node: addon built, generated files up to date" node_addon; then
  node_suite "node tests" node --test crm-node/__test__/
  check "node: TypeScript types check (tsc --noEmit)" \
    bash -c 'cd crm-node && npx tsc --noEmit -p __test__/tsconfig.json'
  check "node: quickstart example runs" node examples/node/quickstart.mjs
fi

# ---- mobile (crm-mobile): uniffi bindings, Kotlin on the JVM, Python, Swift sources ----
# A suite that ends with a plain "N passed, N failed" line (the Kotlin runner, the Swift
# check): counts that line.
plain_suite() {
  local name=$1; shift
  local log="$log_dir/$name.log"
  step "$name"
  "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  local line p f
  line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
  p=$(echo "$line" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+')
  f=$(echo "$line" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  if [ "$status" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
    failed=$((failed + 1))
  fi
  [ "$status" -eq 0 ] || failed_steps+=("$name")
}

if check "mobile: Kotlin, Swift and Python generated (uniffi-bindgen, library mode)" \
  bash scripts/gen-mobile.sh --prebuilt; then
  plain_suite "mobile: kotlin tests on the JVM" bash scripts/test-mobile.sh kotlin
  pytest_suite "mobile: python tests through the uniffi bindings" \
    env PYTHON="$py" bash scripts/test-mobile.sh python
  plain_suite "mobile: swift sources generated" bash scripts/test-mobile.sh swift
fi

echo
if [ ${#failed_steps[@]} -gt 0 ]; then
  echo "failed: ${failed_steps[*]}"
fi
echo "ran in $SECONDS s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ ${#failed_steps[@]} -eq 0 ]
