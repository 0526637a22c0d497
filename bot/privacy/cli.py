"""`python -m bot residents ...`: erase or export everything about a resident; check every key's retention.

The identifier may be given as ``-`` and typed on standard input, so that no number appears on a command
line (process lists, shell history).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from datetime import timezone
from pathlib import Path

from bot import redis_connect
from bot.booking.motives import load_motives
from bot.clock import system_clock
from bot.identity import InvalidAddress
from bot.privacy import wiring
from bot.privacy.access_log import AccessLog
from bot.privacy.export import Exporter
from bot.privacy.residents import resolve
from bot.privacy.retention import check_retention
from bot.security.secrets_check import write_private
from bot.settings import Settings

# Key names carry sender ids (numbers, chat ids): the terminal and its scrollback must not show them.
_NUMBER_RUN = re.compile(r"\d{4,}")


def masked_key(key: str) -> str:
    """A Redis key name fit for the terminal: every run of four digits or more becomes ``…``."""
    return _NUMBER_RUN.sub("…", key)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot residents", description="Données des habitants.")
    sub = parser.add_subparsers(dest="command", required=True)
    erase = sub.add_parser("erase", help="tout effacer sur une personne (sauf sa demande STOP)")
    erase.add_argument("resident", help="numéro, identifiant Telegram, ou - pour le lire sur l'entrée")
    erase.add_argument("--yes", action="store_true", help="ne pas demander de confirmation")
    erase.add_argument("--by", default="cli", help="qui efface (journal des accès)")
    export = sub.add_parser("export", help="tout ce qui est gardé sur une personne, en JSON")
    export.add_argument("resident", help="numéro, identifiant Telegram, ou - pour le lire sur l'entrée")
    export.add_argument("--out", type=Path, required=True, help="fichier JSON à écrire")
    export.add_argument("--by", default="cli", help="qui exporte (journal des accès)")
    sub.add_parser("check-retention", help="vérifier que chaque clé Redis expire à temps")
    return parser


async def _run(args: argparse.Namespace, settings: Settings, sender_id: str) -> int:
    redis = redis_connect.client(settings, timeout=None)
    try:
        if args.command == "check-retention":
            violations = await check_retention(redis, settings, load_motives().rules.horizon_days)
            for violation in violations:
                print(f"{masked_key(violation.key)}: {violation.problem}")
            print("Rétention : OK." if not violations else f"Rétention : {len(violations)} problème(s).")
            return 1 if violations else 0
        log = AccessLog(redis, settings.access_log_seconds)
        if args.command == "export":
            service = wiring.booking_service(settings, redis)
            document = await Exporter(redis, service.store, settings.retention_days).export(
                sender_id, system_clock()().astimezone(timezone.utc)
            )
            # A person's whole file: readable by the operator's account only, whatever the umask (L10).
            write_private(args.out, json.dumps(document, ensure_ascii=False, indent=2) + "\n")
            await log.record(args.by, "export", sender_id)
            print(f"Export écrit dans {args.out}.")
            return 0
        report = await wiring.eraser(settings, redis).erase(sender_id)
        await log.record(args.by, "erase", sender_id)
        print(
            f"Effacé : {report.keys_deleted} clé(s), {report.bookings_deleted} rendez-vous "
            f"(dont {report.upcoming_cancelled} à venir annulé(s), créneaux libérés, rappels retirés). "
            + ("Demande STOP conservée." if report.opted_out else "Pas de demande STOP.")
        )
        return 0
    finally:
        await redis.close()


def main(argv: list[str] | None = None, settings: Settings | None = None) -> int:
    """Entry point; returns the exit code."""
    args = _parser().parse_args(argv)
    sender_id = ""
    if args.command in ("erase", "export"):
        raw = sys.stdin.readline() if args.resident == "-" else args.resident
        try:
            sender_id = resolve(raw)
        except InvalidAddress as exc:
            print(f"Erreur : {exc}", file=sys.stderr)
            return 2
        if args.command == "erase" and not args.yes:
            answer = input("Tout effacer sur cette personne (sauf sa demande STOP) ? Tapez OUI : ")
            if answer.strip().upper() != "OUI":
                print("Rien n'est effacé.")
                return 1
    return asyncio.run(_run(args, settings or Settings.from_env(), sender_id))
