# The training options of the shipped name tagger, chosen by
# cross-validation on eng.train (cv.sh, MODEL_CARD.md); sourced by
# train.sh and cv.sh. The word clusters (--clusters clusters.tsv) and the
# case corpus are added by the scripts.
ENR_TAGGER_OPTS="--seed 1 --no-stack --buckets-log2 18 --epochs 10"
# The model before (commit e5772a9, feature set 0x17), for comparison.
ENR_TAGGER_BASELINE_OPTS="--seed 1 --no-stack --buckets-log2 18 --epochs 20 --no-runs --no-lean"
