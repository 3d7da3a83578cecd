#!/usr/bin/env bash
# Rebuilds the shipped NER (kg/models/ner/) from scratch:
#   1. scripts/ner/prepare.py  -> DocBins tokenised by kg's pkuseg tokenizer (+ domain user dictionary)
#   2. spacy train scripts/ner/config.cfg  (CPU, capped at max_steps in the config)
#      CHAR_VECTORS=1: with LAC's character vectors in the token embedding (kg/charvectors.py; needs
#      the `bench` extra). Tried and not shipped: kg/models/ner/MODEL_CARD.md
#   3. scripts/ner/package.py  -> model-best without its 172 MB tokenizer, into kg/models/ner/
# Work files go to $WORK (default /tmp/kg-ner), never into the repo: they hold article text.
# Needs ../shared (CLUENER2020 train, the corpus the annotations point into).
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${WORK:-/tmp/kg-ner}
PY=.venv/bin/python
# two cores are shared with other work: one thread keeps training from starving it
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1} MKL_NUM_THREADS=1

# PREPARE_ARGS: extra options for prepare.py (e.g. "--resume"); arguments go to spacy train
# shellcheck disable=SC2086
$PY scripts/ner/prepare.py "$WORK/data" ${PREPARE_ARGS:-}
CONFIG=scripts/ner/config.cfg
CODE=()
if [ -n "${CHAR_VECTORS:-}" ]; then
  $PY scripts/ner/char_vectors.py "$WORK/char_vectors.npz" --config "$CONFIG" "$WORK/config.cfg"
  CONFIG=$WORK/config.cfg
  # --code registers kg's embedding layer (kg.CharVectorHashEmbed.v1) with spaCy
  CODE=(--code kg/charvectors.py --paths.char_vectors "$WORK/char_vectors.npz")
fi
read -r PKUSEG USERDICT < <($PY -c 'from kg.pipeline import _user_dict; from kg.segmentation import ensure_pkuseg_model; print(ensure_pkuseg_model(), _user_dict(None))')
# PRETRAIN_EPOCHS=N: first pretrain the tok2vec on unlabelled text (raw_text.py, `spacy pretrain`,
# the [pretraining] block of the config) for N epochs and start the NER from it. Off by default:
# tried and not shipped (kg/models/ner/MODEL_CARD.md, "Tried").
INIT=()
if [ -n "${PRETRAIN_EPOCHS:-}" ]; then
  $PY scripts/ner/raw_text.py "$WORK/raw.jsonl"
  $PY -m spacy pretrain "$CONFIG" "$WORK/pretrain" --paths.raw_text "$WORK/raw.jsonl" "${CODE[@]}" \
    --pretraining.max_epochs "$PRETRAIN_EPOCHS" \
    --initialize.tokenizer.pkuseg_model "$PKUSEG" --initialize.tokenizer.pkuseg_user_dict "$USERDICT"
  INIT=(--paths.init_tok2vec "$WORK/pretrain/model$((PRETRAIN_EPOCHS - 1)).bin")
fi
start=$(date +%s)
$PY -m spacy train "$CONFIG" --output "$WORK/output" "${CODE[@]}" \
  --paths.train "$WORK/data/train.spacy" --paths.dev "$WORK/data/dev.spacy" \
  --initialize.tokenizer.pkuseg_model "$PKUSEG" --initialize.tokenizer.pkuseg_user_dict "$USERDICT" \
  "${INIT[@]}" "$@"
echo "training took $(( $(date +%s) - start )) s"
# TARGET: where the packaged model goes (default the shipped kg/models/ner; a /tmp folder to compare
# candidates first: scripts/eval_ner.py --ner FOLDER)
$PY scripts/ner/package.py "$WORK/output/model-best" "${TARGET:-kg/models/ner}" --stats "$WORK/data/stats.json"
