"""How sure must the FAQ topic model be? Cross-validated on the training examples only (no held-out set).

Usage (light: scikit-learn, no training of Rasa models; a few minutes on one core)::

    .venv/bin/python bench/topic_threshold.py [--folds 3] [--seed 20261127]

Trains the intent and topic model of config.yml (:class:`bot.nlu_model.IntentTopicModel`) on k-1 folds of
every NLU example and ranks the FAQ topics of the last fold's FAQ examples. For each candidate threshold of
the FaqConfidenceGuard it prints how many right topics would be kept and how many wrong ones refused, plus
the macro-F1 of the topics. config.yml takes the highest threshold that keeps at least 97.5 % of the right
answers: the held-out sets of `make eval`
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

from bot.nlu_model import IntentTopicModel, label_of  # noqa: E402

CANDIDATES = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3)
KEEP_RIGHT = 0.975


def nlu_examples() -> list[tuple[str, str, str | None]]:
    """(text, intent, topic key) of every example of data/nlu, read by Rasa's own loader."""
    from rasa.shared.nlu.training_data.loading import load_data

    found = []
    for message in load_data(str(ROOT / "data" / "nlu")).training_examples:
        text, intent, key = message.get("text"), message.get("intent"), message.get("intent_response_key")
        if text and intent:
            found.append((str(text), str(intent), str(key) if key else None))
    return found


def main() -> int:
    """Print the cross-validated keep/refuse counts per threshold and the chosen one."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261127)
    args = parser.parse_args()
    examples = nlu_examples()
    labels = [label_of(intent, key) for _, intent, key in examples]
    faq = [i for i, (_, intent, _) in enumerate(examples) if intent == "faq"]
    texts, topics = [examples[i][0] for i in faq], [labels[i] for i in faq]
    predicted: dict[int, str] = {}
    confidences: dict[int, float] = {}
    folds = StratifiedKFold(args.folds, shuffle=True, random_state=args.seed)
    for train, test in folds.split(examples, labels):
        model = IntentTopicModel.fit([examples[i] for i in train])
        asked = [i for i in test if examples[i][1] == "faq"]
        for i, reading in zip(asked, model.read([examples[i][0] for i in asked], top=1), strict=True):
            predicted[i], confidences[i] = reading.topics[0].topic, reading.topics[0].confidence
    predicted_list = [predicted[i] for i in faq]
    confidence = [confidences[i] for i in faq]
    right = [p == t for p, t in zip(predicted_list, topics, strict=True)]
    n_right, n_wrong = sum(right), len(right) - sum(right)
    print(f"{len(texts)} FAQ examples, {len(set(topics))} topics, {args.folds} folds")
    macro = f1_score(topics, predicted_list, average="macro")
    print(f"topic macro-F1 {macro:.3f}, accuracy {n_right / len(texts):.3f}")
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
