"""Why a stream ends. Everything else (lost connections, restarts) is retried."""

from typing import Optional


class ArraycastError(Exception):
    """Base class of every error this package raises."""


class ProtocolError(ArraycastError):
    """A server message that breaks docs/PROTOCOL.md."""


class UnsupportedLayout(ProtocolError):
    """A binary packet of a layout version this client does not know: update client and server together."""


class DoNotReconnect(ArraycastError):
    """The server closed with a code of the 4500-4999 range: reconnecting would fail the same way."""

    def __init__(self, url: str, code: int, reason: str):
        super().__init__(f"{url} closed the connection with {code} ({reason or 'no reason'}): "
                         "the server asks not to reconnect")
        self.url, self.code, self.reason = url, code, reason


class Refused(ArraycastError):
    """The upgrade was answered 401 or 403: the same token would be refused again."""

    def __init__(self, url: str, status: int):
        why = "a valid token is needed" if status == 401 else "the token lacks the 'read' scope, or the origin is refused"
        super().__init__(f"{url} refused the upgrade with {status}: {why}")
        self.url, self.status = url, status


class GaveUp(ArraycastError):
    """max_retries attempts in a row failed."""

    def __init__(self, attempts: int, last_reason: Optional[str]):
        super().__init__(f"giving up after {attempts} attempts: {last_reason}")
        self.attempts, self.last_reason = attempts, last_reason
