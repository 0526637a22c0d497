"""Knowledge-base sources: official domains only, each source dated with the day it was consulted."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

# Official publishers the answers may rest on: State and social-security sites, local authorities, the
# public operators the PIMMS works with. A host matches an entry when it is that domain or a subdomain.
OFFICIAL_DOMAINS: tuple[str, ...] = (
    "ars.sante.fr",  # regional health agencies (ARS): out-of-hours care
    "gouv.fr",  # every State site: service-public.gouv.fr, prefectures, ANTS, ANEF, ANTAI...
    "legifrance.gouv.fr",
    "caf.fr",
    "msa.fr",
    "francetravail.fr",
    "ameli.fr",
    "info-retraite.fr",
    "lassuranceretraite.fr",
    "banque-france.fr",
    "energie-info.fr",
    "monenfant.fr",  # the CAF (CNAF) site for childcare
    "eaudugrandlyon.com",  # the Métropole's public water operator (régie)
    "grandlyon.com",
    "tcl.fr",
    "justice.fr",
    "assemblee-nationale.fr",
    "senat.fr",
    "laposte.fr",
    "labanquepostale.com",
    "enedis.fr",
    "grdf.fr",
    "pimmslyonmetropole.com",
    "adil13.org",  # ADIL: State-approved housing information agencies
    "anil.org",
)
# Official sites that moved: the old address may still redirect, but residents get the new one.
MOVED_HOSTS: dict[str, str] = {
    "service-public.fr": "service-public.gouv.fr",  # moved on 1 October 2025
}
STALE_AFTER = dt.timedelta(days=365)


@dataclass(frozen=True)
class Source:
    """One official page and the day it was consulted."""

    url: str
    consulted: dt.date | None

    @property
    def host(self) -> str:
        """Host name of the URL, lower case, without a trailing dot."""
        return (urlparse(self.url).hostname or "").rstrip(".").lower()

    def is_official(self) -> bool:
        """True when the URL is https and its host is on the allow-list."""
        host = self.host
        return self.url.startswith("https://") and any(
            host == domain or host.endswith("." + domain) for domain in OFFICIAL_DOMAINS
        )

    def is_stale(self, today: dt.date) -> bool:
        """True when the page was consulted more than a year before ``today`` (or never dated)."""
        return self.consulted is None or today - self.consulted > STALE_AFTER


def parse_source(raw: Any, where: str) -> Source:
    """A source from YAML: ``{url: ..., consulted: YYYY-MM-DD}`` (a bare URL has no date)."""
    if isinstance(raw, str):
        return Source(url=raw.strip(), consulted=None)
    if not isinstance(raw, dict) or not isinstance(raw.get("url"), str):
        raise ValueError(f"{where}: each source is {{url: ..., consulted: YYYY-MM-DD}}")
    consulted = raw.get("consulted")
    if consulted is not None and not isinstance(consulted, dt.date):
        try:
            consulted = dt.date.fromisoformat(str(consulted))
        except ValueError as exc:
            raise ValueError(f"{where}: bad consulted date {consulted!r} (use YYYY-MM-DD)") from exc
    return Source(url=raw["url"].strip(), consulted=consulted)


def source_problems(name: str, sources: tuple[Source, ...]) -> list[str]:
    """Sources that are not official or not dated."""
    problems = [f"{name}: source is not on the official allow-list: {s.url}" for s in sources if not s.is_official()]
    problems += [f"{name}: source has no consultation date: {s.url}" for s in sources if s.consulted is None]
    return problems


def moved_addresses(name: str, text: str) -> list[str]:
    """Old addresses of moved official sites written in a resident text ("service-public.fr")."""
    lowered = text.lower()
    return [
        f"{name}: {old} moved to {new}: write the new address"
        for old, new in MOVED_HOSTS.items()
        if re.search(rf"(?<![\w.-]){re.escape(old)}(?![\w-])", lowered)
    ]
