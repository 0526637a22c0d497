"""Request size limits enforced before a body is read whole: Content-Length first, then a capped stream."""

from __future__ import annotations

from sanic.request import Request

MAX_WEBHOOK_BYTES = 64 * 1024


class BodyTooLarge(Exception):
    """The request announces or sends more bytes than allowed."""


async def read_capped(request: Request, limit: int = MAX_WEBHOOK_BYTES) -> bytes:
    """The body of a ``stream=True`` route, refusing announced or actual sizes above ``limit``."""
    announced = request.headers.get("content-length")
    if announced is not None and (not announced.strip().isdigit() or int(announced) > limit):
        raise BodyTooLarge(announced)
    if request.stream is None or request.body:  # not a streaming route: Sanic already read it
        body = bytes(request.body or b"")
        if len(body) > limit:
            raise BodyTooLarge(str(len(body)))
        return body
    chunks, size = [], 0
    async for chunk in request.stream:
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(f">{limit}")
        chunks.append(chunk)
    return b"".join(chunks)
