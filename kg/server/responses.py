"""What a handler answers: a Response, or an HTTPError carrying status and a readable message."""
from __future__ import annotations

from dataclasses import dataclass, field
from http import HTTPStatus

TEXT = "text/plain; charset=utf-8"


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str | None = TEXT
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        try:
            return HTTPStatus(self.status).phrase
        except ValueError:
            return ""


class HTTPError(Exception):
    """An error answer: status, a one-line message for people, extra headers.

    >>> e = HTTPError(415, "POST needs Content-Type application/sparql-query")
    >>> e.response().status, e.response().body
    (415, b'POST needs Content-Type application/sparql-query\\n')
    """

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}

    def response(self) -> Response:
        return Response(self.status, (self.message.rstrip("\n") + "\n").encode(), TEXT, dict(self.headers))
