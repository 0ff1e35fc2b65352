"""An article file: its text exactly as received, the fields its header gives, and quote lookup.

The tool never edits an article. Quotes are matched with whitespace normalised (runs of any
Unicode whitespace, including no-break spaces, compare equal to one space) and located by
character offsets in the original text, so the evidence points at the bytes as received.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import Problem
from kg.yamlfile import UnicodeProblem, read_text

# A header line some sources start with: " date 2025-09-15 <first sentence>".
_DATE_HEADER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b")
CONTEXT_CHARS = 32
# A news article is tens of kilobytes. Far larger files are a mistake (a dump, a binary) and
# would cost gigabytes of memory in quote matching, so they are refused before reading.
MAX_ARTICLE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class QuoteMatch:
    """Where a quote stands in the article: offsets in characters of the original text."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


@dataclass
class Article:
    path: Path
    display: str
    text: str
    sha256: str
    header_date: str | None
    _norm: str = field(default="", repr=False)
    _index: list[int] = field(default_factory=list, repr=False)

    @property
    def stem(self) -> str:
        return self.path.stem

    def find(self, quote: str) -> QuoteMatch | None:
        """First occurrence of the quote, whitespace-normalised, or None."""
        if not self._index:
            self._norm, self._index = _normalise(self.text)
        needle, _ = _normalise(quote)
        if not needle:
            return None
        at = self._norm.find(needle)
        if at < 0:
            return None
        start = self._index[at]
        end = self._index[at + len(needle) - 1] + 1
        return QuoteMatch(
            start=start,
            end=end,
            exact=self.text[start:end],
            prefix=self.text[max(0, start - CONTEXT_CHARS) : start],
            suffix=self.text[end : end + CONTEXT_CHARS],
        )


_WORD = re.compile(r"\S+")  # \S is exactly "not str.isspace()" for str patterns


def _normalise(text: str) -> tuple[str, list[int]]:
    """Collapse whitespace runs to one space and strip the ends; keep each kept character's
    offset in the original so matches map back exactly (a collapsed run maps to its last
    character)."""
    parts: list[str] = []
    index: list[int] = []
    for word in _WORD.finditer(text):
        start, end = word.span()
        if parts:
            parts.append(" ")
            index.append(start - 1)
        parts.append(word.group())
        index.extend(range(start, end))
    return "".join(parts), index


def load_article(path: Path, display: str) -> tuple[Article | None, list[Problem]]:
    """Read an article. Non-UTF-8 and empty files are problems, not crashes."""
    if not path.is_file():
        return None, [Problem(display, 0, "article file not found")]
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        message = f"article is {size / 2**20:.1f} MB, over the {MAX_ARTICLE_BYTES // 2**20} MB limit for one article; split it or check the file"
        return None, [Problem(display, 1, message)]
    try:
        text = read_text(path, display)
    except UnicodeProblem as exc:
        return None, [exc.problem]
    if not text.strip():
        return None, [Problem(display, 1, "article is empty")]
    header = _DATE_HEADER.match(text)
    article = Article(
        path=path,
        display=display,
        text=text,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        header_date=header.group(1) if header else None,
    )
    return article, []
