#!/usr/bin/env bash
# posdoctor's one entry point.
#   ./build.sh build          wasm engine → pkg/ (cargo, wasm-bindgen, wasm-opt)
#   ./build.sh dist           static site with content-hashed names → dist/
#   ./build.sh serve [--port N]   build, then serve dist/ on 127.0.0.1 with the headers of dist/_headers
#   ./build.sh test           every test: Rust, schema, knowledge base, browser
#   ./build.sh fuzz [SECONDS] each fuzz target for SECONDS (default 60; nightly, cargo-fuzz)
#   ./build.sh bench          size, load time, Lighthouse, engine speed, decision quality → docs/BENCHMARKS.md
# Setup is automatic and idempotent; the first run installs the wasm target,
# wasm-bindgen-cli 0.2.130 (about 4 minutes to compile), npm test deps, and
# Debian's chromium, chromedriver and a CJK font (needs root and apt).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
WASM_BINDGEN_VERSION=0.2.130
BINARYEN_VERSION=132.0.0
TARGET=wasm32-unknown-unknown
# Overridable so that two builds can run side by side.
PKG_DIR=${PKG_DIR:-pkg}
DIST_DIR=${DIST_DIR:-dist}
TARGET_DIR=${CARGO_TARGET_DIR:-target}

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

setup_rust() {
  if ! rustup target list --installed 2>/dev/null | grep -qx "$TARGET"; then
    say "adding the $TARGET Rust target"
    rustup target add "$TARGET"
  fi
  if ! cargo clippy --version >/dev/null 2>&1; then
    say "adding the clippy component"
    rustup component add clippy
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (first run only, about 4 minutes)"
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
}

setup_node() {
  if [ ! -d tests/e2e/node_modules ] || [ tests/e2e/package-lock.json -nt tests/e2e/node_modules ]; then
    say "installing npm test dependencies (tests/e2e, pinned by package-lock.json)"
    (cd tests/e2e && npm ci --no-audit --no-fund)
    touch tests/e2e/node_modules
  fi
}

setup_browser() {
  local need=()
  [ -x /usr/bin/chromium ] || need+=(chromium)
  [ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
  fc-list 2>/dev/null | grep -qi 'wenquanyi\|wqy' || need+=(fonts-wqy-microhei)
  if [ ${#need[@]} -gt 0 ]; then
    say "installing ${need[*]} from Debian (first run only)"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}"
  fi
}

wasm_opt() {
  local bin=tests/e2e/node_modules/.bin/wasm-opt
  if [ -x "$bin" ]; then "$bin" "$@"; else npx -y -p "binaryen@$BINARYEN_VERSION" wasm-opt "$@"; fi
}

# Which toolchain compiles the page module. With the installed nightly,
# std is rebuilt for size and a panic traps at once (panic=immediate-abort)
# instead of formatting a message for console_error_panic_hook: no core::fmt,
# no source locations, about 15 KB brotli less on every first visit (15,386 B at 5c9da2c: 100,602
# against 115,988 B; 7.7 KB when first measured, before std's sort was built for size). The
# page shows the same friendly error for a trap either way. Stable is the
# fallback (POSDOCTOR_TOOLCHAIN=stable forces it) and builds test-hooks
# sites, whose panic test reads the panic message in the console. std is
# also built with its optimize_for_size feature: one small stable sort and
# one small unstable sort instead of driftsort/ipnsort per element type
# (the extractor and the view sort several kinds of tuples): page wasm
# 144,787 → 119,085 B raw, 53,759 → 46,358 B brotli (measured); the lists
# sorted here are a few dozen items long.
#
# sites, whose panic test reads the panic message in the console.
page_toolchain() {
  if [ -n "${POSDOCTOR_FEATURES:-}" ] || [ "${POSDOCTOR_TOOLCHAIN:-}" = stable ]; then
    echo stable
  elif rustup run nightly rustc --version >/dev/null 2>&1 \
    && { rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src' \
      || rustup component add rust-src --toolchain nightly >&2; }; then
    echo nightly
  else
    echo "build.sh: no nightly toolchain with rust-src: the page module is built on stable (about 15 KB brotli larger)" >&2
    echo stable
  fi
}

# One wasm module: $1 = output name, $2 = cargo target dir, $3 = stable |
# nightly (see page_toolchain), rest = cargo flags.
build_module() {
  local name=$1 dir=$2 toolchain=$3
  shift 3
  # Without reference types wasm-bindgen keeps JS objects in a JS array
  # instead of an externref table: 430 B less wasm, 60 B more glue
  # (measured); every browser we target runs either.
  if [ "$toolchain" = nightly ] && ! RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort --cfg posdoctor_trap_panics -Ctarget-feature=-reference-types" \
      cargo +nightly build -q --lib --profile wasm --target "$TARGET" --no-default-features \
      --target-dir "$dir/nightly" -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size "$@"; then
    # An older or newer nightly may not take these flags: stable still works.
    echo "build.sh: the nightly build of $name failed (see above); building it on stable instead" >&2
    toolchain=stable
  fi
  if [ "$toolchain" = nightly ]; then
    dir=$dir/nightly
  else
    cargo build -q --lib --profile wasm --target "$TARGET" --no-default-features --target-dir "$dir" "$@"
  fi
  (if [ "$toolchain" = nightly ]; then rustc +nightly -V; else rustc -V; fi) > "$PKG_DIR/${name}.toolchain"
  wasm-bindgen --target web --no-typescript --out-dir "$PKG_DIR" --out-name "$name" "$dir/$TARGET/wasm/posdoctor.wasm"
  cp "$PKG_DIR/${name}_bg.wasm" "$PKG_DIR/${name}_bg.unopt.wasm"
  # -Oz twice: the second pass finds about 250 B more (measured; more passes
  # gain nothing). The producers and target-features sections are for tools,
  # not browsers: about 120 B more. --low-memory-unused lets binaryen fold
  # constant offsets into loads and stores (about 330 B brotli): true here,
  # as rustc puts the 1 MB stack first, growing down towards address 0, and
  # the data and heap above it, so the lowest 1 KB is never touched short of
  # a stack overflow. --flatten --rereloop between the -Oz passes rebuilds
  # the control flow, which the second pass then shrinks further: page
  # module 151,362 -> 150,440 B raw, 58,830 -> 58,379 B brotli (measured
  # with binaryen 132; a second round gains 48 B more, not worth the time).
  wasm_opt --low-memory-unused -Oz --flatten --rereloop -Oz -Oz --strip-producers --strip-target-features \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-reference-types \
    "$PKG_DIR/${name}_bg.unopt.wasm" -o "$PKG_DIR/${name}_bg.wasm"
}

build() {
  setup_rust
  setup_node  # wasm-opt (binaryen) and esbuild are pinned in tests/e2e
  say "validating and packing the default knowledge base"
  rm -rf "$PKG_DIR"
  mkdir -p "$PKG_DIR"
  # Three files: kb.bin (what the first screen and the engine need),
  # kb-text.bin (how-to, why, details, help, tips) and kb-cues.bin (the
  # chips' cue phrases, for the extractor module), fetched after data-ready.
  cargo run -q --release -- pack kb/pos-renewal.json --out "$PKG_DIR/kb.bin" --texts "$PKG_DIR/kb-text.bin" \
    --cues "$PKG_DIR/kb-cues.bin"
  # Features only add (Cargo.toml): `page` is the page's binding and its
  # allocator, `support` the case-code decoder, `validator` packKb,
  # `extractor` the reader of the merchant's words.
  local page="page${POSDOCTOR_FEATURES:+,$POSDOCTOR_FEATURES}"
  local toolchain
  toolchain=$(page_toolchain)
  say "compiling the page module to wasm ($toolchain Rust, wasm-bindgen, wasm-opt -Oz, binaryen $BINARYEN_VERSION)"
  build_module posdoctor "$TARGET_DIR" "$toolchain" --features "$page"
  say "compiling the support module (the page module plus the case-code decoder, loaded only for #case= links)"
  build_module posdoctor_support "$TARGET_DIR" "$toolchain" --features "$page,support"
  say "compiling the extractor module (reads the merchant's words; loaded after the page is ready)"
  build_module posdoctor_extractor "$TARGET_DIR" "$toolchain" --features extractor
  say "compiling the kb-url validator module to wasm (loaded only by pages that set kb-url)"
  build_module posdoctor_validator "$TARGET_DIR/validator" stable --features validator
  ls -l "$PKG_DIR"/*.wasm "$PKG_DIR"/kb*.bin | awk '{print "    " $5 " bytes  " $9}' >&2
}

dist() {
  build
  say "assembling dist/ with content-hashed names"
  node tests/e2e/tools/assemble-dist.mjs "$ROOT" "$PKG_DIR" "$DIST_DIR"
  setup_browser
  say "prerendering the say-what-you-know screen into index.html (the element's own code, in Chromium), its styles in one hash-listed <style>"
  node tests/e2e/tools/prerender.mjs "$DIST_DIR"
  say "writing $DIST_DIR/_headers (CSP with that style hash, caching; Netlify / Cloudflare Pages format, served as is by tests/e2e/server.mjs)"
  node tests/e2e/tools/headers.mjs "$DIST_DIR"
}

serve() {
  local port=8080
  while [ $# -gt 0 ]; do
    case "$1" in
      --port) port="$2"; shift 2 ;;
      --port=*) port="${1#--port=}"; shift ;;
      *) echo "serve: unknown option $1" >&2; exit 2 ;;
    esac
  done
  dist
  say "serving dist/ (Ctrl-C stops)"
  exec node tests/e2e/server.mjs "$DIST_DIR" "$port"
}

# Every combination of the features that only add, natively and for wasm
# (where `page`, `validator` and `extractor` hold the bindings): each must build.
check_features() {
  local f t
  for f in "" support page validator extractor page,support page,validator support,validator page,extractor page,support,validator \
    page,support,validator,extractor; do
    for t in "" "--target $TARGET"; do
      # shellcheck disable=SC2086
      cargo check -q --lib --no-default-features ${f:+--features $f} $t
    done
  done
  cargo check -q --bins --no-default-features --features cli
}

test_all() {
  setup_rust
  setup_node
  setup_browser
  say "clippy (every target, warnings are errors)"
  cargo clippy -q --all-targets -- -D warnings
  say "every combination of features builds (each only adds)"
  check_features
  say "Rust tests (engine, knowledge base, session, CLI)"
  cargo test -q --release
  say "wasm tests in headless Chromium (wasm-bindgen-test-runner)"
  # The runner gives the whole suite 20 s by default; the debug build of the
  # look-ahead ran past that on a loaded 2-core machine (a fresh-clone run
  # timed out while other builds ran), so allow more: a hang still fails.
  WASM_BINDGEN_TEST_TIMEOUT=180 CHROMEDRIVER=/usr/bin/chromedriver cargo test --target "$TARGET" --no-default-features --features page,extractor --test wasm
  say "kb/schema.json is current"
  cargo run -q --release -- schema > "$TARGET_DIR/schema.json"
  if ! diff -q kb/schema.json "$TARGET_DIR/schema.json" >/dev/null; then
    echo "kb/schema.json is stale: run 'cargo run -- schema > kb/schema.json'" >&2
    exit 1
  fi
  dist
  say "the page module holds no formatting machinery (its names, before wasm-opt)"
  if grep -q nightly "$PKG_DIR/posdoctor.toolchain"; then
    node tests/e2e/tools/no-fmt.mjs "$PKG_DIR/posdoctor_bg.unopt.wasm"
  elif [ -n "${CI:-}" ]; then
    echo "build.sh: CI expects the nightly page build (the stable fallback formats panics: core::fmt is in it)" >&2
    exit 1
  else
    echo "build.sh: the page module was built on stable, which keeps core::fmt for panic messages: check skipped" >&2
  fi
  say "the page and support modules hold no extractor (its own module comes after data-ready)"
  node tests/e2e/tools/no-extractor.mjs "$PKG_DIR/posdoctor_bg.unopt.wasm"
  node tests/e2e/tools/no-extractor.mjs "$PKG_DIR/posdoctor_support_bg.unopt.wasm"
  say "size gate: critical path and first visit in brotli bytes (DESIGN: 50 / 70 KB; limits and why in tests/e2e/tools/size-gate.mjs)"
  node tests/e2e/tools/size-gate.mjs "$DIST_DIR" "$PKG_DIR"
  say "evaluation on the public stories"
  local scenarios=../shared/scenarios/public.json
  cargo run -q --release -- eval --scenarios "$scenarios" | grep -E "^(engine|baseline|oracle|merchant):"
  cargo run -q --release -- eval --scenarios "$scenarios" --json > "$TARGET_DIR/eval.json"
  say "the test-hooks site → $DIST_DIR-hooks/ (Doctor.debugPanic, for tests/e2e/tests/faults.test.mjs)"
  PKG_DIR="$PKG_DIR-hooks" DIST_DIR="$DIST_DIR-hooks" POSDOCTOR_FEATURES=test-hooks dist
  say "browser tests (playwright-core + Debian chromium)"
  (cd tests/e2e && POSDOCTOR_DIST="$ROOT/$DIST_DIR" POSDOCTOR_HOOKS_DIST="$(cd "$ROOT" && realpath "$DIST_DIR-hooks")" \
    POSDOCTOR_EVAL_JSON="$(cd "$ROOT" && realpath "$TARGET_DIR")/eval.json" npm test)
}

# Fuzzing (not part of `test`; CI replays the saved crashes instead, in
# tests/fuzz_regressions.rs): each target of fuzz/ for $1 seconds (default
# 60), one at a time, one process. cargo-fuzz on the nightly toolchain,
# without a sanitizer (posdoctor has no unsafe code; ASan would cost ~10×
# the executions) but with debug assertions (overflow checks). A crash stops
# here with its input under fuzz/artifacts/TARGET/.
fuzz() {
  local secs=${1:-60} t
  rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
  command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
  python3 fuzz/make_corpus.py
  mkdir -p fuzz/artifacts
  for t in kb_load kb_packed deep_link session_restore case_decode extract; do
    say "fuzzing $t for ${secs}s"
    local rc=0
    (cd fuzz && env -u CARGO_TARGET_DIR cargo +nightly fuzz run -O -a -s none "$t" "corpus/$t" -- \
      -max_total_time="$secs" -max_len=8192 -timeout=10 -print_final_stats=1) >"fuzz/artifacts/$t.log" 2>&1 || rc=$?
    grep -E '^#[0-9]+[[:space:]]+DONE|panicked|^SUMMARY' "fuzz/artifacts/$t.log" >&2 || true
    [ "$rc" = 0 ] || { echo "fuzz: $t failed; input under fuzz/artifacts/$t/, log fuzz/artifacts/$t.log" >&2; exit 1; }
  done
  for t in kb_load kb_packed deep_link session_restore case_decode extract; do
    printf '    %-16s %12s executions\n' "$t" "$(sed -n 's/^stat::number_of_executed_units: *//p' "fuzz/artifacts/$t.log")" >&2
  done
}

# Measurements, not tests (docs/BENCHMARKS.md says how): builds the site,
# then tests/e2e/bench/bench.mjs prints one table and rewrites the table in
# docs/BENCHMARKS.md. About 3 minutes after the build on 2 cores.
bench() {
  setup_rust
  setup_node
  setup_browser
  dist
  say "benchmarks: bytes, load (Slow/Fast 3G, warm), Lighthouse, engine, decision quality"
  POSDOCTOR_DIST="$(cd "$ROOT" && realpath "$DIST_DIR")" POSDOCTOR_PKG="$(cd "$ROOT" && realpath "$PKG_DIR")" \
    node tests/e2e/bench/bench.mjs
}

cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
  build) build ;;
  dist) dist ;;
  serve) serve "$@" ;;
  test) test_all ;;
  fuzz) fuzz "$@" ;;
  bench) bench ;;
  *) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
