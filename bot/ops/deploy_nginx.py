"""`python -m bot.ops.deploy_nginx --cert FILE --key FILE`: print the nginx site for this configuration.

The server name comes from PUBLIC_BASE_URL (which must be https://), the ports from RASA_PORT and
CONSOLE_PORT, so the proxy and the signatures Twilio computes always match. Template:
deploy/nginx-pimms.conf.template; guide: docs/deploy.md.
"""

from __future__ import annotations

import argparse
import sys
from string import Template
from urllib.parse import urlparse

from bot.settings import PROJECT_ROOT, ConfigError, Settings

TEMPLATE = PROJECT_ROOT / "deploy" / "nginx-pimms.conf.template"
# certbot's `--webroot -w` folder: the port-80 server serves /.well-known/acme-challenge/ from it.
DEFAULT_ACME_WEBROOT = "/var/www/html"


def render(
    settings: Settings,
    cert_file: str,
    key_file: str,
    http_port: int = 80,
    https_port: int = 443,
    acme_webroot: str = DEFAULT_ACME_WEBROOT,
    rasa_nodes: list[str] | None = None,
) -> str:
    """The nginx site configuration (raises ConfigError without an https PUBLIC_BASE_URL).

    ``rasa_nodes``: ``host:port`` of every Rasa server behind the balancer (default: this machine's RASA_PORT).
    """
    parsed = urlparse(settings.public_base_url)
    if parsed.scheme != "https" or not parsed.hostname:
        raise ConfigError("PUBLIC_BASE_URL must be the public https:// address (e.g. https://pimms.example.org)")
    if parsed.path not in ("", "/"):
        raise ConfigError("PUBLIC_BASE_URL must not have a path: the webhooks live at the root")
    if parsed.port not in (None, https_port):
        raise ConfigError(f"PUBLIC_BASE_URL's port {parsed.port} differs from the HTTPS port {https_port}")
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        SERVER_NAME=parsed.hostname,
        HTTP_PORT=http_port,
        HTTPS_PORT=https_port,
        CERT_FILE=cert_file,
        KEY_FILE=key_file,
        RASA_SERVERS=_upstream(rasa_nodes or [f"127.0.0.1:{settings.rasa_port}"]),
        CONSOLE_PORT=settings.console_port,
        ACME_WEBROOT=_absolute_path(acme_webroot),
    )


def _upstream(nodes: list[str]) -> str:
    """``server`` lines of the Rasa upstream; a node that failed is left alone for 10 s."""
    for node in nodes:
        host, sep, port = node.rpartition(":")
        if not sep or not host or not port.isdigit() or any(c.isspace() or c in ";{}$'\"" for c in host):
            raise ConfigError(f"a Rasa node is host:port: {node!r}")
    return "\n".join(f"    server {node} max_fails=1 fail_timeout=10s;" for node in nodes)


def _absolute_path(path: str) -> str:
    """The webroot as nginx needs it: absolute, no whitespace or characters that would end the directive."""
    if not path.startswith("/") or any(c.isspace() or c in ";{}$'\"" for c in path):
        raise ConfigError(f"the ACME webroot must be an absolute path without spaces or ;{{}}$ quotes: {path!r}")
    return path.rstrip("/") or "/"


def main(argv: list[str] | None = None) -> int:
    """Print the site configuration."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cert", required=True, help="certificate chain (e.g. Let's Encrypt fullchain.pem)")
    parser.add_argument("--key", required=True, help="private key of the certificate")
    parser.add_argument("--http-port", type=int, default=80)
    parser.add_argument("--https-port", type=int, default=443)
    parser.add_argument(
        "--acme-webroot", default=DEFAULT_ACME_WEBROOT, help="certbot's --webroot -w folder (renewals over HTTP)"
    )
    parser.add_argument(
        "--rasa-node",
        action="append",
        default=[],
        help="host:port of a Rasa server behind the balancer, once per machine (default: 127.0.0.1:RASA_PORT)",
    )
    args = parser.parse_args(argv)
    try:
        site = render(
            Settings.from_env(),
            args.cert,
            args.key,
            args.http_port,
            args.https_port,
            args.acme_webroot,
            args.rasa_node or None,
        )
        print(site, end="")
    except ConfigError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
