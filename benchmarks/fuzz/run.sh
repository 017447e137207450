#!/usr/bin/env bash
# Coverage-guided fuzzing of the dataset readers, the model-file reader and the state_dict reader of `import` with afl-fuzz
# and SharpFuzz.
#
#   benchmarks/fuzz/run.sh [--seconds 300] [--timeout-ms 10000] [--work DIR] [TARGET ...]
#
# TARGET is any of arff ts tsv txt csv any model import (default: all eight; any: a file without an extension, read in
# the format its first line shows, seeded with every format's seeds; import: a PyTorch state_dict or safetensors file).
# Each target runs under afl-fuzz for --seconds (afl-fuzz -V), one after the other, niced, on one core; an input that
# runs longer than --timeout-ms (6 times that for model and import) is a hang. Steps: install afl++ (Debian) when
# afl-fuzz is missing, install the SharpFuzz.CommandLine tool into DIR/tools, publish benchmarks/Chronoscope.Fuzz into DIR/bin, instrument
# DIR/bin/Chronoscope.dll (namespaces Chronoscope.Data and Chronoscope.Inference; for import also the pickle and
# safetensors readers, TorchSharp.PyBridge.dll and Razorvine.Pickle.dll), seed DIR/seeds/TARGET from the
# hand-written seeds beside this script and from the head (header and first cases) of every data file of that format
# under the repository's test data, data/ and shared/data beside the repository, then fuzz into DIR/out/TARGET and print
# per target: executions, corpus size, crashes and hangs, and where they are. DIR defaults to
# ${TMPDIR:-/tmp}/chronoscope-fuzz. Replay an input with
#   CHRONOSCOPE_FUZZ_VERBOSE=1 dotnet DIR/bin/Chronoscope.Fuzz.dll TARGET < INPUT
set -euo pipefail

seconds=300
timeout_ms=10000
work="${TMPDIR:-/tmp}/chronoscope-fuzz"
targets=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --timeout-ms) timeout_ms="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        arff|ts|tsv|txt|csv|any|model|import) targets+=("$1"); shift ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
[[ ${#targets[@]} -gt 0 ]] || targets=(arff ts tsv txt csv any model import)
[[ "$seconds" =~ ^[0-9]+$ && "$seconds" -gt 0 ]] || { echo "run.sh: --seconds: expected a positive whole number, found '$seconds'" >&2; exit 2; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
mkdir -p "$work"
work="$(cd "$work" && pwd)"

# shared/ lies beside the repository (or beside one of its parents), as the tests look for it.
shared_data=""
for folder in "$(dirname "$root")" "$(dirname "$(dirname "$root")")" "$(dirname "$(dirname "$(dirname "$root")")")"; do
    if [[ -d "$folder/shared/data" ]]; then shared_data="$folder/shared/data"; break; fi
done

# 1. afl-fuzz
if ! command -v afl-fuzz > /dev/null; then
    echo "== installing afl++ (apt-get)"
    if [[ $(id -u) -ne 0 ]]; then echo "run.sh: afl-fuzz is missing; install afl++ (apt-get install -y afl++) as root" >&2; exit 1; fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq afl++ > /dev/null
fi

# 2. SharpFuzz's instrumenting tool, local to the work folder
sharpfuzz="$work/tools/sharpfuzz"
if [[ ! -x "$sharpfuzz" ]]; then
    echo "== installing SharpFuzz.CommandLine 2.3.0 into $work/tools"
    dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$work/tools" > /dev/null
fi

# 3. publish afresh (instrumenting twice fails)
echo "== publishing benchmarks/Chronoscope.Fuzz into $work/bin"
rm -rf "$work/bin"
nice -n 15 dotnet publish "$root/benchmarks/Chronoscope.Fuzz/Chronoscope.Fuzz.csproj" -c Release -o "$work/bin" -warnaserror > "$work/publish.log" 2>&1 \
    || { tail -20 "$work/publish.log" >&2; exit 1; }
fuzz_dll="$work/bin/Chronoscope.Fuzz.dll"

# 4. seeds: the hand-written ones and the head of every real file (header lines and the first two cases)
head_of() { # file extension -> the header and the first two case lines
    case "$2" in
        arff|ts) awk 'BEGIN { data = 0; cases = 0 }
                      { print }
                      data && $0 !~ /^[ \t]*($|%|#)/ { if (++cases == 2) exit }
                      tolower($0) ~ /^[ \t]*@data/ { data = 1 }' "$1" ;;
        *) head -n 2 "$1" ;;
    esac
}
rm -rf "$work/seeds"
for target in "${targets[@]}"; do
    mkdir -p "$work/seeds/$target"
    if [[ "$target" == model ]]; then
        dotnet "$fuzz_dll" seed-model "$work/seeds/model/small.model"
        continue
    fi
    if [[ "$target" == import ]]; then
        dotnet "$fuzz_dll" seed-import "$work/seeds/import"
        continue
    fi
    cp "$here/seeds/$target/"* "$work/seeds/$target/"
    if [[ "$target" == any ]]; then
        for format in arff ts tsv txt csv; do cp "$here/seeds/$format/"* "$work/seeds/any/"; done
        continue
    fi
    for folder in "$root/tests/Chronoscope.Tests/TestData" "$root/data" ${shared_data:+"$shared_data"}; do
        [[ -d "$folder" ]] || continue
        while IFS= read -r -d '' file; do
            seed="$(head_of "$file" "$target")"
            name="$(printf '%s\n' "$seed" | sha1sum | cut -c1-12)"
            printf '%s\n' "$seed" > "$work/seeds/$target/head-$(basename "${file%.*}")-$name.$target"
        done < <(find "$folder" -type f -name "*.$target" -print0)
    done
done
# The same head found twice (tests/ and shared/ hold the same files) is kept once.
for target in "${targets[@]}"; do
    (cd "$work/seeds/$target" && for f in head-*; do [[ -e "$f" ]] || continue; h="${f##*-}"; ls head-*-"$h" | tail -n +2 | xargs -r rm -f; done)
done

# 5. instrument the library (after the model seed is written: instrumented code runs only under afl-fuzz)
echo "== instrumenting Chronoscope.dll"
"$sharpfuzz" "$work/bin/Chronoscope.dll" Chronoscope.Data Chronoscope.Inference
if [[ " ${targets[*]} " == *" import "* ]]; then
    "$sharpfuzz" "$work/bin/TorchSharp.PyBridge.dll"
    "$sharpfuzz" "$work/bin/Razorvine.Pickle.dll"
fi

# 6. fuzz, one target after the other
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_FORKSRV_INIT_TMOUT=60000 CHRONOSCOPE_FUZZ_SCRATCH="$work/scratch"
[[ -d /dev/shm && -w /dev/shm ]] && export CHRONOSCOPE_FUZZ_SCRATCH="/dev/shm/chronoscope-fuzz-$$"
trap 'rm -rf "$CHRONOSCOPE_FUZZ_SCRATCH"' EXIT
for target in "${targets[@]}"; do
    echo "== fuzzing $target for $seconds s ($(ls "$work/seeds/$target" | wc -l) seeds)"
    rm -rf "$work/out/$target"
    mkdir -p "$work/out"
    dictionary=()
    [[ "$target" != model && "$target" != import ]] && dictionary=(-x "$here/dataset.dict")
    # The model and import targets load libtorch whenever a child (re)starts, which takes seconds on a loaded machine:
    # 6 times the timeout.
    timeout=$timeout_ms
    [[ "$target" == model || "$target" == import ]] && timeout=$((timeout_ms * 6))
    nice -n 15 afl-fuzz -i "$work/seeds/$target" -o "$work/out/$target" -t "$timeout" -m none -V "$seconds" "${dictionary[@]}" \
        -- dotnet "$fuzz_dll" "$target" > "$work/out/$target.log" 2>&1 \
        || { echo "afl-fuzz failed for $target; the end of $work/out/$target.log:" >&2; tail -20 "$work/out/$target.log" >&2; }
done

# 7. the numbers
stat() { awk -F' *: *' -v key="$2" '$1 == key { print $2 }' "$1"; }
echo
printf '%-6s %10s %8s %8s %8s %8s  %s\n' target execs exec/s corpus crashes hangs findings
for target in "${targets[@]}"; do
    stats="$work/out/$target/default/fuzzer_stats"
    if [[ ! -f "$stats" ]]; then printf '%-6s (no statistics: see %s)\n' "$target" "$work/out/$target.log"; continue; fi
    printf '%-6s %10s %8s %8s %8s %8s  %s\n' "$target" "$(stat "$stats" execs_done)" "$(stat "$stats" execs_per_sec)" \
        "$(stat "$stats" corpus_count)" "$(stat "$stats" saved_crashes)" "$(stat "$stats" saved_hangs)" "$work/out/$target/default/{crashes,hangs}"
done
