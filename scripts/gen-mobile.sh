#!/usr/bin/env bash
# Builds crm-mobile's library and generates its Kotlin, Swift and Python sources from it
# (uniffi library mode: the records and enums of crm-core come along).
#   bash scripts/gen-mobile.sh [--release | --prebuilt]   → target/mobile/{kotlin,swift,python}
# The debug build (the tests') has the `parity` feature: the parity runners' support
# (crm-mobile/src/parity.rs); the release build is the library an app ships.
# Generated sources are build output (not in git); the tests regenerate them.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=debug
cargo_flags=(--features crm-mobile/parity)
prebuilt=
case "${1:-}" in
  --release) profile=release; cargo_flags=(--release) ;;
  # the library and uniffi-bindgen as a workspace build left them (scripts/test.sh builds
  # the whole workspace with crm-mobile/parity first): building crm-mobile alone would
  # compile crm-core again with another set of features
  --prebuilt) prebuilt=1 ;;
esac

if [ -z "$prebuilt" ]; then
  cargo build --quiet "${cargo_flags[@]}" -p crm-mobile -p uniffi-bindgen
fi
lib="target/$profile/libcrm_mobile.so"
[ -f "$lib" ] || lib="target/$profile/libcrm_mobile.dylib"
out=target/mobile
rm -rf "$out"
for language in kotlin swift; do
  "target/$profile/uniffi-bindgen" generate --config crm-mobile/bindgen.toml --library "$lib" --language "$language" \
    --out-dir "$out/$language" --no-format
done
# Python: a package `crm_ffi` (its modules import each other relatively), with the library
# beside them, where they load it from.
"target/$profile/uniffi-bindgen" generate --config crm-mobile/bindgen.toml --library "$lib" --language python \
  --out-dir "$out/python/crm_ffi" --no-format
touch "$out/python/crm_ffi/__init__.py"
cp "$lib" "$out/python/crm_ffi/"
cp "$lib" "$out/"
echo "generated from $lib:"
find "$out" -type f | sort
