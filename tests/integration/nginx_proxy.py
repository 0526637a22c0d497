"""Debian's nginx started by a test from a rendered site (bot/ops/deploy_nginx.py), on loopback ports, with a
self-signed certificate for pimms.test and 127.0.0.1. Used by the reverse-proxy test and the two-node test."""

from __future__ import annotations

import datetime
import ipaddress
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
TEMP_KINDS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def require_nginx() -> None:
    """Skip without nginx, or fail when CI requires it (PIMMS_REQUIRE_NGINX)."""
    if not NGINX:
        if os.environ.get("PIMMS_REQUIRE_NGINX"):
            pytest.fail("nginx is required (apt-get install nginx)")
        pytest.skip("nginx is not installed")


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate and its key for pimms.test and 127.0.0.1, valid from yesterday to the day after tomorrow.

    Made for the real now (TLS checks validity against the real clock): a fixed window would fail later."""
    now = datetime.datetime.now(datetime.timezone.utc)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "pimms.test")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("pimms.test"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_file.chmod(0o600)
    return cert_file, key_file


@contextmanager
def running_nginx(
    folder: Path, site: str, https_port: int, connections: int = 256
) -> Iterator[subprocess.Popen[bytes]]:
    """nginx serving ``site`` (a rendered server block) from ``folder``, until the block ends."""
    site_file = folder / "pimms.conf"
    site_file.write_text(site, encoding="utf-8")
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = " ".join(f"{kind}_temp_path {folder / kind};" for kind in TEMP_KINDS)
    (folder / "nginx.conf").write_text(
        f"{user}worker_processes 1;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'};\ndaemon off;\n"
        f"events {{ worker_connections {connections}; }}\n"
        f"http {{ access_log {folder / 'access.log'}; {temp} include {site_file}; }}\n",
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [NGINX, "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log"), "-p", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.stdout and process.poll() is not None else ""
                    log = (folder / "error.log").read_text() if (folder / "error.log").exists() else ""
                    raise RuntimeError(f"nginx did not start: {output}{log}") from None
                time.sleep(0.1)
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
