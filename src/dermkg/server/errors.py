"""The error the endpoint answers with: an HTTP status and a message (never a traceback)."""

from __future__ import annotations


class EndpointError(Exception):
    """A request the endpoint refuses or cannot answer, with the HTTP status to send."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(status, message)
        self.status = status
        self.message = message

    def __str__(self) -> str:
        return self.message
