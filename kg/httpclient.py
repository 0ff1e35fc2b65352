"""The one HTTP client of kg: `kg push` (Graph Store uploads, the count query) and
`kg query --endpoint` (SPARQL 1.1 Protocol) talk to servers through it.

requests, with one session kept alive and the server's own authentication scheme: the
first 401 says whether it wants Digest (Virtuoso) or Basic. requests' own timeout only
bounds each read, so a server trickling a byte now and then would hold a command for ever;
here each request runs in a daemon thread that the caller stops waiting for at its deadline
(kg.limits.call_with_deadline). A server that cannot be reached, or breaks off, is one line
in the caller's own error class (`fail`), never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kg.errors import KgError

if TYPE_CHECKING:
    import requests

Fail = Callable[[str], KgError]
"""The caller's error for a message ("cannot reach URL: ..."): a PushError, a QueryError."""


class HttpClient:
    """One HTTP session to one server, every request bounded by `timeout` seconds of wall-clock
    time from connecting to the last byte of the answer."""

    def __init__(self, timeout: float, fail: Fail, user: str | None = None, password: str | None = None):
        import requests

        self.session = requests.Session()
        self.session.headers["User-Agent"] = "kg"
        self.timeout, self.fail = timeout, fail
        self.user, self.password = user, password

    def send(self, method: str, url: str, too_slow: Callable[[], KgError], **kwargs: Any) -> requests.Response:
        """The response, complete, within self.timeout seconds, else too_slow(). kwargs go to
        requests (params, data, headers)."""
        from kg.limits import call_with_deadline

        return call_with_deadline(lambda: self._send(method, url, kwargs), (), self.timeout, too_slow)

    def _send(self, method: str, url: str, kwargs: dict[str, Any]) -> requests.Response:
        import requests
        from requests.auth import HTTPBasicAuth, HTTPDigestAuth

        try:
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
            if response.status_code == 401 and self.user is not None and self.session.auth is None:
                challenge = response.headers.get("WWW-Authenticate", "").lower()
                scheme = HTTPDigestAuth if challenge.startswith("digest") else HTTPBasicAuth
                self.session.auth = scheme(self.user, self.password or "")
                response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.RequestException as exc:
            detail = one_line(str(exc))
            if isinstance(exc, requests.ConnectionError) and "Connection aborted" not in detail:
                raise self.fail(f"cannot reach {url}: {detail[:300]}") from None
            raise self.fail(f"{url}: no complete HTTP answer to {method}: {detail[:300]}") from None
        return response


def one_line(text: str) -> str:
    """Server-given text fit for one terminal line: whitespace runs as one space, control and
    other unprintable characters escaped (a server may answer NUL bytes)."""
    text = " ".join(text.split())
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def first_line(text: str) -> str:
    """': first line' of a server's error answer (tags dropped: some servers answer in HTML),
    or "" when it said nothing."""
    text = re.sub(r"<[^>]+>", " ", text or "")
    line = next((x.strip() for x in text.splitlines() if x.strip()), "")
    return f": {one_line(line[:200])}" if line else ""
