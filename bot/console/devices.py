"""Devices that logged in before: a signed cookie naming the accounts that logged in from this browser.

Such a device is exempt from the per-account login limit (``bot.console.throttle``), so that guesses from
elsewhere never lock a mediator out of the usual computer. The cookie grants nothing else: the password is
still checked, and the per-(account, address) delay and the per-address limit still apply.
"""

from __future__ import annotations

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner

DEVICE_COOKIE = "pimms_device"
DEVICE_DAYS = 180
MAX_ACCOUNTS = 5  # a shared office computer


class KnownDevices:
    """Sign and read the known-device cookie."""

    def __init__(self, secret: str, max_age_days: int = DEVICE_DAYS) -> None:
        self.signer = TimestampSigner(secret, salt="pimms-console-device")
        self.max_age = max_age_days * 24 * 3600

    def accounts(self, cookie: str | None) -> list[str]:
        """The accounts a valid cookie names (none for a missing, forged or expired one)."""
        if not cookie:
            return []
        try:
            value = self.signer.unsign(cookie, max_age=self.max_age).decode()
        except (BadSignature, SignatureExpired):
            return []
        return [name for name in value.split("|") if name]

    def knows(self, cookie: str | None, name: str) -> bool:
        """Whether ``name`` logged in from this device before."""
        return name.lower() in {known.lower() for known in self.accounts(cookie)}

    def cookie_after_login(self, cookie: str | None, name: str) -> str:
        """The new cookie value once ``name`` logged in here (most recent last, at most ``MAX_ACCOUNTS``)."""
        names = [known for known in self.accounts(cookie) if known.lower() != name.lower()] + [name]
        return self.signer.sign("|".join(names[-MAX_ACCOUNTS:])).decode()
