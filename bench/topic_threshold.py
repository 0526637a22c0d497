"""How sure must the FAQ topic model be? Cross-validated on the training examples only (no held-out set).

Usage (light: scikit-learn only, about a minute on one core)::

    .venv/bin/python bench/topic_threshold.py [--folds 3] [--seed 20261127]

Trains :class:`bot.kb.topic_model.TopicModel` on k-1 folds of the kb's FAQ examples and ranks the
topics of the last fold. For each candidate threshold of the FaqConfidenceGuard it prints how many right
topics would be kept and how many wrong ones refused, plus the macro-F1 of the topics. config.yml takes the
highest threshold that keeps at least 97.5 % of the right answers: the held-out sets of `make eval`
(uncovered questions, kb probes) are never used to choose it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.kb.model import load_kb  # noqa: E402
from bot.kb.topic_model import TopicModel  # noqa: E402

CANDIDATES = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3)
KEEP_RIGHT = 0.975


def faq_examples() -> tuple[list[str], list[str]]:
    """(text, topic) pairs of every kb example (the source data/nlu/faq.yml is generated from)."""
    pairs = [(text, f"faq/{entry.id}") for entry in load_kb() for text in entry.examples]
    return [text for text, _ in pairs], [topic for _, topic in pairs]


def main() -> int:
    """Print the cross-validated keep/refuse counts per threshold and the chosen one."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261127)
    args = parser.parse_args()
    texts, topics = faq_examples()
    predicted: list[str] = ["" for _ in texts]
    confidence: list[float] = [0.0 for _ in texts]
    folds = StratifiedKFold(args.folds, shuffle=True, random_state=args.seed)
    for train, test in folds.split(texts, topics):
        model = TopicModel.fit([texts[i] for i in train], [topics[i] for i in train])
        for i, ranking in zip(test, model.rank([texts[i] for i in test], top=1), strict=True):
            predicted[i], confidence[i] = ranking[0].topic, ranking[0].confidence
    right = [p == t for p, t in zip(predicted, topics, strict=True)]
    n_right, n_wrong = sum(right), len(right) - sum(right)
    print(f"{len(texts)} FAQ examples, {len(set(topics))} topics, {args.folds} folds")
    print(f"topic macro-F1 {f1_score(topics, predicted, average='macro'):.3f}, accuracy {n_right / len(texts):.3f}")
    chosen = CANDIDATES[0]
    for threshold in CANDIDATES:
        kept = sum(1 for r, c in zip(right, confidence, strict=True) if r and c >= threshold)
        refused = sum(1 for r, c in zip(right, confidence, strict=True) if not r and c < threshold)
        print(
            f"threshold {threshold:.2f}: right kept {kept}/{n_right} ({kept / n_right:.1%}), "
            f"wrong refused {refused}/{n_wrong}"
        )
        if kept / n_right >= KEEP_RIGHT:
            chosen = threshold
    print(f"chosen (keeps >= {KEEP_RIGHT:.1%} of the right topics): {chosen}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
