"""Train the Rasa model (Rasa's fingerprint cache skips work when data and config are unchanged)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from bot.ops.processes import python
from bot.settings import PROJECT_ROOT

MODEL_NAME = "pimms"


def model_path(models_dir: Path) -> Path:
    """Where the trained model lives."""
    return models_dir / f"{MODEL_NAME}.tar.gz"


def train(models_dir: Path | None = None, root: Path = PROJECT_ROOT, quiet: bool = False) -> Path:
    """Run ``rasa train`` and return the model path; raise CalledProcessError on failure."""
    models_dir = models_dir or root / "models"
    env = dict(os.environ)
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("RASA_CACHE_DIRECTORY", str(root / ".rasa" / "cache"))
    env["PYTHONPATH"] = str(root)
    args = [
        python(),
        "-m",
        "rasa",
        "train",
        "--domain",
        "domain",
        "--data",
        "data",
        "--config",
        "config.yml",
        "--out",
        str(models_dir),
        "--fixed-model-name",
        MODEL_NAME,
    ]
    output = subprocess.DEVNULL if quiet else None
    subprocess.run(args, cwd=root, env=env, check=True, stdout=output)
    return model_path(models_dir)


def training_inputs(root: Path = PROJECT_ROOT) -> list[Path]:
    """Files whose change requires retraining."""
    files = [root / "config.yml"]
    for folder in ("domain", "data"):
        files.extend(sorted((root / folder).rglob("*.yml")))
    return files


def is_fresh(models_dir: Path | None = None, root: Path = PROJECT_ROOT) -> bool:
    """Whether the model exists and is newer than every training input (the Makefile's rule)."""
    model = model_path(models_dir or root / "models")
    if not model.exists():
        return False
    newest = max((p.stat().st_mtime for p in training_inputs(root) if p.exists()), default=0.0)
    return model.stat().st_mtime >= newest


def ensure_model(models_dir: Path | None = None, root: Path = PROJECT_ROOT) -> Path:
    """The model, trained first when missing or older than its inputs."""
    if is_fresh(models_dir, root):
        return model_path(models_dir or root / "models")
    return train(models_dir, root)
