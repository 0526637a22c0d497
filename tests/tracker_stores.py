"""Our Rasa tracker store (stores/tracker_store.py) on a test's Redis URL (``redis://host:port/db``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from rasa.shared.core.domain import Domain

from stores.tracker_store import PimmsTrackerStore


def tracker_store_at(redis_url: str, domain: Domain, **options: Any) -> PimmsTrackerStore:
    """A store on ``redis_url``; ``options`` are endpoints.yml's (key_prefix, record_exp, keep_turns...)."""
    url = urlparse(redis_url)
    return PimmsTrackerStore(
        domain=domain, host=url.hostname, port=url.port, db=int(url.path.strip("/")), password=url.password, **options
    )
