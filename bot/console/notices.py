"""Banners of the console's pages: a redirect carries a message code (plus, for a few, a count or booking
references), never text; the page shows the fixed French text of that code.

A crafted link can therefore only show one of these texts, never words of its own inside the trusted console
(review L8). Errors raised with a known fixed text map back to their code (``code_of``); any other text (it may
name a colleague) becomes the generic code of the caller. The console's JavaScript gets the detailed text in
its JSON answer, which no link can forge.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

Params = Mapping[str, str]

_COUNT = re.compile(r"^\d{1,5}$")
_REF = re.compile(r"^[2-9A-Z]{4,12}$")
_REFS = re.compile(r"^[2-9A-Z]{4,12}(?:,[2-9A-Z]{4,12}){0,50}$")


def _param(params: Params, name: str, rule: re.Pattern[str]) -> str:
    value = params.get(name, "")
    return value if rule.match(value) else ""


def _count(params: Params) -> int:
    return int(_param(params, "n", _COUNT) or 0)


def _told(params: Params) -> str:
    told = _count(params)
    plural = "s" if told > 1 else ""
    text = f"{told} habitant{plural} prévenu{plural}."
    missed = _param(params, "refs", _REFS)
    return text + (f" Non remis : {', '.join(missed.split(','))} (appelez-les)." if missed else "")


def _erased(params: Params) -> str:
    return f"Effacé : {_count(params)} donnée(s), {int(_param(params, 'r', _COUNT) or 0)} rendez-vous."


def _booking(params: Params) -> str:
    ref = _param(params, "ref", _REF)
    return f"Rendez-vous {ref}" if ref else "Rendez-vous"


Text = str | Callable[[Params], str]

TEXTS: dict[str, Text] = {
    # conversation page
    "refused": "Action impossible : la conversation a changé entre-temps. Voyez l'historique.",
    "assistant_down": "L'assistant ne répond pas. Réessayez dans un instant.",
    "not_delivered": "Message non remis. Réessayez, ou appelez la personne.",
    "reply_invalid": "Message vide ou trop long (max 1000 caractères).",
    "note_invalid": "Note vide ou trop longue.",
    "unknown_mediator": "Médiateur inconnu.",
    "reminder_consent": "Cochez l'accord de la personne pour ce rappel.",
    "reminder_invalid": "Rappel ou date invalide.",
    "reminder_refused": "Pas de rappel pour cette date (carte expirée, délai passé ou date trop loin).",
    # residents' data page
    "confirm_erase": "Tapez EFFACER pour confirmer l'effacement.",
    "bad_id": "Identifiant non reconnu : un numéro de téléphone, un identifiant Telegram ou de conversation.",
    "erased": _erased,
    "erased_stop": lambda p: _erased(p) + " Sa demande STOP est conservée.",
    # agenda
    "bad_choice": "Date ou site invalide.",
    "bad_site": "Site invalide.",
    "unknown_choice": "Choix inconnu.",
    "booking_missing": "Rendez-vous introuvable ou annulé.",
    "booking_missing_or_cancelled": "Rendez-vous introuvable ou déjà annulé.",
    "not_started": "Ce rendez-vous n'a pas encore commencé.",
    "already_marked": "Rendez-vous déjà marqué.",
    "agenda_refused": "Action impossible sur ce rendez-vous.",
    "attended": lambda p: _booking(p) + " : présent.",
    "no_show": lambda p: _booking(p) + " : absent.",
    "cancelled": lambda p: _booking(p) + " annulé. " + _told(p),
    "day_closed": lambda p: "Site fermé ce jour-là. " + _told(p),
    "counter_added": lambda p: f"Guichet supplémentaire ajouté ({_count(p)} ce jour-là).",
    "ics_renewed": "Nouvelle adresse iCal créée : l'ancienne ne fonctionne plus.",
}


def code_of(text: str, default: str) -> str:
    """The code of a known fixed text (case and final full stop ignored), else ``default``."""
    wanted = text.strip().rstrip(".").lower()
    for code, known in TEXTS.items():
        if isinstance(known, str) and known.rstrip(".").lower() == wanted:
            return code
    return default


def text_of(params: Params, key: str) -> str:
    """The banner text of the code in ``params[key]`` (empty for a missing or unknown code)."""
    known = TEXTS.get(params.get(key, ""))
    if known is None:
        return ""
    return known(params) if callable(known) else known
