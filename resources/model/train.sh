#!/bin/sh
# Trains the shipped name tagger, resources/model/conll03.model, on
# CoNLL-2003 eng.train + eng.testa with the options cross-validation chose
# (options.sh, MODEL_CARD.md), and prints its size and sha256. Rerun it
# after changing the tokenizer or the gazetteer lists. Deterministic: the
# same program, data, lists and options give a byte-identical file.
#
#   resources/model/train.sh            the shipped model (train + dev)
#   resources/model/train.sh --check    a model on eng.train alone, written
#                                       to $TMPDIR, scored once on eng.testa
#                                       (the dev figure of MODEL_CARD.md)
#
# ENRICHER (default build/bin/enricher) and ENR_DATA (default
# /work/shared/data) say where the program and the data are.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
enricher=${ENRICHER:-$root/build/bin/enricher}
data=${ENR_DATA:-${ENR_SHARED_DIR:-$root/../shared}/data}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$here/options.sh"
train() {
  nice -n 10 "$enricher" train --format conll "$1" --out "$2" \
    --resources "$root/resources" --case-corpus "$data/news/bbc.jsonl" \
    --clusters "$here/clusters.tsv" $ENR_TAGGER_OPTS
}
if [ "${1:-}" = "--check" ]; then
  train "$data/conll2003/eng.train" "$tmp/train-only.model"
  "$enricher" train --format conll --resources "$root/resources" \
    --score "$tmp/train-only.model" "$data/conll2003/eng.testa"
  "$enricher" eval --format conll --resources "$root/resources" \
    --model "$tmp/train-only.model" "$data/conll2003/eng.testa"
  exit 0
fi
# Both files start with -DOCSTART-: one corpus of 946 + 216 documents.
cat "$data/conll2003/eng.train" "$data/conll2003/eng.testa" > "$tmp/train+dev"
train "$tmp/train+dev" "$here/conll03.model"
wc -c < "$here/conll03.model" | sed 's/^/bytes: /'
sha256sum "$here/conll03.model"
