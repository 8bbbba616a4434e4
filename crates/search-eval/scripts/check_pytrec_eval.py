#!/usr/bin/env python3
"""Reference numbers from pytrec_eval for a qrels file and a TREC run file.

Usage: check_pytrec_eval.py QRELS RUN [--per-query]

Prints {"ndcg_cut_10", "map", "recall_100", "num_queries"} as JSON, the
same keys that `cargo run --example eval_run -- QRELS RUN` prints, so the
two can be compared number by number (they should agree to 1e-6).

Needs `pip install pytrec_eval-terrier` (or `pytrec_eval`).

Full cross-check, from the crate directory:

    Q=/work/shared/eval/cranfield/qrels-dev.txt R=/tmp/random-run.txt
    cargo run --example make_random_run -- $Q $R 42
    cargo run --example eval_run -- $Q $R
    python3 scripts/check_pytrec_eval.py $Q $R

The mean follows the search-eval crate's convention: queries that are in
the run and in the qrels with at least one relevant document (gain >= 1).
pytrec_eval itself also returns judged queries with no relevant document,
scored 0 on everything; those are left out of the mean here, as in the crate.
A docid repeated within a query keeps its first score (pytrec_eval takes a
dict, and trec_eval would refuse the file), again as the crate does.
"""
import json
import sys

import pytrec_eval

MEASURES = {"ndcg_cut.10", "map", "recall.100"}
KEYS = ("ndcg_cut_10", "map", "recall_100")


def read_qrels(path):
    qrels = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) != 4:
                sys.exit(f"{path}:{number}: expected `qid iter docid gain`")
            qid, _, docid, gain = fields
            qrels.setdefault(qid, {})[docid] = int(gain)
    return qrels


def read_run(path):
    run = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) != 6:
                sys.exit(f"{path}:{number}: expected `qid Q0 docid rank score tag`")
            qid, _, docid, _, score, _ = fields
            run.setdefault(qid, {}).setdefault(docid, float(score))
    return run


def main(argv):
    per_query = "--per-query" in argv
    paths = [a for a in argv if not a.startswith("--")]
    if len(paths) != 2:
        sys.exit(__doc__)
    qrels = read_qrels(paths[0])
    run = read_run(paths[1])
    results = pytrec_eval.RelevanceEvaluator(qrels, MEASURES).evaluate(run)
    kept = {
        qid: {key: scores[key] for key in KEYS}
        for qid, scores in sorted(results.items())
        if any(gain >= 1 for gain in qrels[qid].values())
    }
    n = len(kept)
    out = {key: (sum(q[key] for q in kept.values()) / n if n else 0.0) for key in KEYS}
    out["num_queries"] = n
    if per_query:
        out["per_query"] = kept
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
