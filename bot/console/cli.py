"""`python -m bot mediators ...`: create, reset, delete and list mediator accounts, and the languages each
mediator speaks (issue 23)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys

from bot.console.auth import AccountError, MediatorAccounts
from bot.console.languages import MediatorLanguages
from bot.console.roles import Roles
from bot.redis_connect import client as redis_client
from bot.settings import Settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot mediators", description="Comptes des médiateurs.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (("create", "créer un compte"), ("password", "changer un mot de passe")):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("name")
        cmd.add_argument("--password-stdin", action="store_true", help="lire le mot de passe sur l'entrée")
        role = cmd.add_mutually_exclusive_group()
        role.add_argument(
            "--supervisor",
            dest="supervisor",
            action="store_true",
            default=None,
            help="superviseur : peut reprendre, réattribuer ou clore toute conversation",
        )
        if name == "password":
            role.add_argument("--mediator", dest="supervisor", action="store_false", help="retirer le rôle")
    languages = sub.add_parser("languages", help="langues parlées par un médiateur (en plus du français)")
    languages.add_argument("name")
    languages.add_argument("codes", nargs="*", help="codes : ar en es pt tr ro uk ru (aucun : afficher)")
    languages.add_argument("--clear", action="store_true", help="français seulement")
    sub.add_parser("list", help="lister les comptes")
    delete = sub.add_parser("delete", help="supprimer un compte")
    delete.add_argument("name")
    return parser


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Mot de passe : ")
    if first != getpass.getpass("Confirmez : "):
        raise AccountError("les deux mots de passe diffèrent")
    return first


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    redis = redis_client(settings, timeout=None)
    accounts = MediatorAccounts(redis)
    try:
        if args.command in ("create", "password"):
            password = _read_password(args.password_stdin)
            await accounts.create(args.name, password, replace=args.command == "password", supervisor=args.supervisor)
            print(f"Compte {args.name} {'créé' if args.command == 'create' else 'mis à jour'}.")
        elif args.command == "languages":
            if args.name not in await accounts.names():
                print(f"Compte {args.name} introuvable.", file=sys.stderr)
                return 1
            spoken = MediatorLanguages(redis)
            if args.codes or args.clear:
                await spoken.set(args.name, [] if args.clear else args.codes)
            print(f"{args.name} : {' '.join(['fr', *await spoken.get(args.name)])}")
        elif args.command == "list":
            roles = Roles(redis)
            spoken_by = await MediatorLanguages(redis).all()
            for name in await accounts.names():
                codes = f" [{' '.join(spoken_by[name])}]" if spoken_by.get(name) else ""
                print(f"{name} (superviseur){codes}" if await roles.is_supervisor(name) else f"{name}{codes}")
        elif args.command == "delete":
            if not await accounts.delete(args.name):
                print(f"Compte {args.name} introuvable.", file=sys.stderr)
                return 1
            await MediatorLanguages(redis).forget(args.name)
            print(f"Compte {args.name} supprimé.")
        return 0
    finally:
        await redis.close()


def main(argv: list[str] | None = None, settings: Settings | None = None) -> int:
    """Entry point; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        return asyncio.run(_run(args, settings or Settings.from_env()))
    except (AccountError, ValueError) as exc:  # ValueError: an unknown language code
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
