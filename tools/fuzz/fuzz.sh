#!/usr/bin/env bash
# Fuzzes one target of tools/fuzz/Mixnet.Directory.Fuzz with afl++ for a bounded time.
#
#   tools/fuzz/fuzz.sh TARGET SECONDS        TARGET: descriptor | host | metrics
#
# Publishes the harness (Release) to tools/fuzz/out/bin-TARGET, instruments the contracts assembly
# (and Google.Protobuf for the message targets) with the `sharpfuzz` local tool, then runs ONE
# afl-fuzz instance (-V SECONDS) starting from tools/fuzz/corpus/TARGET. Afterwards the queue is
# minimized with afl-cmin back into tools/fuzz/corpus/TARGET (files named by content hash) and any
# crashes or hangs are copied to tools/fuzz/crashes/TARGET. tools/fuzz/dictionaries/TARGET.dict,
# when there is one, gives afl the tokens of the input format. afl's own output stays in
# tools/fuzz/out/findings/TARGET (fuzzer_stats: execs_per_sec, corpus_count, saved_crashes).
# Installs Debian's afl++ when afl-fuzz is missing (needs root or sudo).
set -euo pipefail

if [ "$#" -ne 2 ] || ! [[ "$2" =~ ^[0-9]+$ ]]; then
    echo "usage: $0 {descriptor|host|metrics} SECONDS" >&2
    exit 2
fi
TARGET="$1"
DURATION="$2"
case "$TARGET" in
    descriptor|metrics) INSTRUMENT=(Mixnet.Directory.Contracts.dll Google.Protobuf.dll) ;;
    host) INSTRUMENT=(Mixnet.Directory.Contracts.dll) ;;
    *) echo "unknown target $TARGET (descriptor, host, metrics)" >&2; exit 2 ;;
esac

cd "$(dirname "$0")/../.."
FUZZ_DIR="tools/fuzz"
OUT="$FUZZ_DIR/out"
BIN="$OUT/bin-$TARGET"
FINDINGS="$OUT/findings/$TARGET"
CORPUS="$FUZZ_DIR/corpus/$TARGET"
CRASHES="$FUZZ_DIR/crashes/$TARGET"

if ! command -v afl-fuzz >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y afl++
fi

dotnet tool restore >/dev/null
# A fresh publish each time: sharpfuzz refuses an assembly it has already instrumented.
rm -rf "$BIN"
dotnet publish "$FUZZ_DIR/Mixnet.Directory.Fuzz" -c Release -o "$BIN" --nologo -v quiet
# Seeds (one valid input and one of each refusal) come from the plain build: instrumented code
# writes to afl's shared memory, which exists only under afl. They join the corpus before and
# after every run, so it always holds every documented outcome. Every file is named by its
# content hash: no afl colons (not allowed in Windows paths), no duplicates, idempotent re-runs.
SEEDS="$OUT/seeds-$TARGET"
rm -rf "$SEEDS"
dotnet "$BIN/Mixnet.Directory.Fuzz.dll" seed "$TARGET" "$SEEDS"
mkdir -p "$CORPUS" "$CRASHES" "$OUT/findings"
add_by_hash() {
    local f
    for f in "$1"/*; do
        [ -f "$f" ] && cp "$f" "$CORPUS/$(sha1sum "$f" | cut -c1-16)"
    done
    return 0
}
add_by_hash "$SEEDS"
for dll in "${INSTRUMENT[@]}"; do
    dotnet tool run sharpfuzz "$BIN/$dll"
done

rm -rf "$FINDINGS"

# The target is `dotnet`, which carries no afl instrumentation of its own (SKIP_BIN_CHECK); the
# machine is shared, so no CPU pinning and no cpufreq demands. -t: the first input also pays for
# the runtime's start and JIT. The harness runs in persistent mode, so a timeout kills the one
# dotnet process and with it the fork server: the limit is far above any real run (~50 us).
export AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CRASHES=1
export DOTNET_TieredPGO=0 DOTNET_TC_QuickJitForLoops=1 DOTNET_gcServer=0
# afl-cmin wants the program as a path, not a name to look up.
TARGET_CMD=("$(readlink -f "$(command -v dotnet)")" "$BIN/Mixnet.Directory.Fuzz.dll" "$TARGET")
DICT=()
[ -f "$FUZZ_DIR/dictionaries/$TARGET.dict" ] && DICT=(-x "$FUZZ_DIR/dictionaries/$TARGET.dict")
afl-fuzz -i "$CORPUS" -o "$FINDINGS" -t 10000 -m none -V "$DURATION" "${DICT[@]}" -- "${TARGET_CMD[@]}"

STATS="$FINDINGS/default/fuzzer_stats"
grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|bitmap_cvg) ' "$STATS" || true

for kind in crashes hangs; do
    for f in "$FINDINGS/default/$kind"/id*; do
        [ -e "$f" ] || continue
        cp "$f" "$CRASHES/$kind-$(sha1sum "$f" | cut -c1-16)"
    done
done

# Minimize queue + old corpus into the corpus. -e (edges, not hit counts) keeps it to tens of
# files, small enough to commit and replay in CI.
MIN="$OUT/cmin-$TARGET"
rm -rf "$MIN"
if afl-cmin -e -i "$FINDINGS/default/queue" -o "$MIN" -t 10000 -m none -- "${TARGET_CMD[@]}" >"$OUT/cmin-$TARGET.log" 2>&1; then
    rm -f "$CORPUS"/*
    add_by_hash "$MIN"
    add_by_hash "$SEEDS"
    echo "corpus: $(ls "$CORPUS" | wc -l) files in $CORPUS (afl-cmin)"
else
    echo "afl-cmin failed (see $OUT/cmin-$TARGET.log); corpus left as it was" >&2
fi
echo "crashes and hangs: $(ls "$CRASHES" | wc -l) files in $CRASHES"
