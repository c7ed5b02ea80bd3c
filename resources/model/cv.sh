#!/bin/sh
# Cross-validation figures of the name tagger (MODEL_CARD.md): 5 folds by
# document of CoNLL-2003 eng.train (document d in fold d mod 5), each
# scored after every epoch by a model trained on the other four; the
# table is of the last epoch. The development and test sets are not read.
#
#   resources/model/cv.sh              the shipped model's options
#   resources/model/cv.sh --baseline   the options of the model before
#                                      (no word clusters, no runs, 20 epochs)
#   resources/model/cv.sh [--baseline] EXTRA-OPTIONS  e.g. --epochs 12
#
# ENRICHER (default build/bin/enricher) and ENR_DATA (default
# /work/shared/data) say where the program and the data are. Takes about
# 1–2 minutes on one core; deterministic.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
enricher=${ENRICHER:-$root/build/bin/enricher}
data=${ENR_DATA:-${ENR_SHARED_DIR:-$root/../shared}/data}
. "$here/options.sh"
if [ "${1:-}" = "--baseline" ]; then
  shift
  set -- $ENR_TAGGER_BASELINE_OPTS "$@"
else
  set -- $ENR_TAGGER_OPTS --clusters "$here/clusters.tsv" "$@"
fi
exec nice -n 10 "$enricher" train --format conll --cv 5 \
  "$data/conll2003/eng.train" --resources "$root/resources" \
  --case-corpus "$data/news/bbc.jsonl" "$@"
