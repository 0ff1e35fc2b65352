"""An article file: its text exactly as received, the fields its header gives, and quote lookup.

The tool never edits an article. Quotes are matched with whitespace normalised (runs of any
Unicode whitespace, including no-break spaces, compare equal to one space) and located by
character offsets in the original text, so the evidence points at the bytes as received.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import Problem, UnicodeProblem
from kg.limits import MAX_ARTICLE_BYTES, excerpt
from kg.yamlfile import read_text

# A header line some sources start with: " date 2025-09-15 <first sentence>".
_DATE_HEADER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b")
CONTEXT_CHARS = 32
# The differences a "quote not found" message names, at most.
MAX_DIFFERENCES = 3


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

    def explain_miss(self, quote: str) -> str:
        """Why a quote is not in the text, for a mapping's author who sees two identical-looking
        strings: the nearest text in the article (its line and words) and what differs, by
        character name - the apostrophe kind (’ vs '), quote marks, ё vs е, an invisible soft
        hyphen or zero-width space, or the whole quote in another Unicode form (NFD vs NFC)."""
        from rapidfuzz import fuzz

        if not self._index:
            self._norm, self._index = _normalise(self.text)
        needle, _ = _normalise(quote)
        if len(needle) > len(self._norm):
            return f"the quote is longer than the article ({len(needle):,} characters against {len(self._norm):,})"
        found = fuzz.partial_ratio_alignment(needle, self._norm, score_cutoff=60) if needle else None
        if found is None or found.dest_end <= found.dest_start:
            return "nothing like it in the article"
        start, end = _tighten(needle, self._norm, found.dest_start, found.dest_end)
        span = self._norm[start:end]
        line = self.text.count("\n", 0, self._index[start]) + 1
        shown_start, shown_end = _widen(self._norm, start, end)
        where = f"nearest in the article, line {line}: {excerpt(self._norm[shown_start:shown_end], 80)}"
        forms = _forms(needle, self._norm)
        differences = _differences(needle, span)
        if forms:
            return f"{forms}; {where}"
        if not differences:
            return where
        return f"{where}; differs: {'; '.join(differences)}"


def _tighten(needle: str, text: str, start: int, end: int) -> tuple[int, int]:
    """The article's span that corresponds to the quote: rapidfuzz's window, given a little
    slack and then cut to the first and last characters the two share, plus, at either end,
    as many differing characters as the quote has there (a " for a «)."""
    import difflib

    lo, hi = max(0, start - 8), min(len(text), end + 8)
    window = text[lo:hi]
    blocks = [b for b in difflib.SequenceMatcher(None, needle, window, autojunk=False).get_matching_blocks() if b.size]
    if not blocks:
        return start, end
    first, last = blocks[0], blocks[-1]
    begin = max(0, first.b - first.a)  # the quote's unmatched head maps onto as many characters
    finish = min(len(window), last.b + last.size + (len(needle) - last.a - last.size))
    return lo + begin, lo + finish


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    """The span out to whole words, so the message shows words, not fragments."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def _forms(needle: str, text: str) -> str:
    """When the quote is in the text up to Unicode normalisation: which form each is in."""
    nfc_needle = unicodedata.normalize("NFC", needle)
    if nfc_needle == needle and unicodedata.is_normalized("NFC", text):
        return ""
    if nfc_needle not in unicodedata.normalize("NFC", text):
        return ""

    def form(value: str) -> str:
        if unicodedata.is_normalized("NFC", value):
            return "NFC (composed letters, й as one character)"
        if unicodedata.is_normalized("NFD", value):
            return "NFD (decomposed letters, й as и + U+0306 COMBINING BREVE)"
        return "a mix of NFC and NFD"

    return (
        f"the same letters in another Unicode form: the quote is in {form(needle)}, "
        f"the article in {form(text)}; copy the quote from the article again"
    )


_NAMED = {
    "\u00a0": "a no-break space",
    "\u00ad": "an invisible soft hyphen",
    "\u200b": "an invisible zero-width space",
    "\u200c": "an invisible zero-width non-joiner",
    "\u200d": "an invisible zero-width joiner",
    "\u2060": "an invisible word joiner",
    "\ufeff": "an invisible byte order mark",
}


def _char(char: str) -> str:
    """One character as an author can recognise it: the glyph, code point and name."""
    name = unicodedata.name(char, "unnamed")
    code = f"U+{ord(char):04X} {name}"
    if char in _NAMED or unicodedata.category(char) in ("Cf", "Cc", "Mn"):
        return f"{_NAMED.get(char, 'an invisible or combining character')} ({code})"
    return f"{char} ({code})"


def _chars(text: str) -> str:
    if len(text) > 3:
        return excerpt(text, 40)
    return " + ".join(_char(c) for c in text)


def _differences(needle: str, span: str) -> list[str]:
    """The first few differences between the quote and the nearest text, named character by
    character."""
    import difflib

    out = []
    matcher = difflib.SequenceMatcher(None, needle, span, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal" or (op == "insert" and a1 in (0, len(needle))):
            continue  # equal, or the article's words around the quote
        if op == "replace":
            out.append(f"the quote has {_chars(needle[a1:a2])} where the article has {_chars(span[b1:b2])}")
        elif op == "delete":
            out.append(f"the quote has {_chars(needle[a1:a2])} that the article does not")
        else:
            out.append(f"the article has {_chars(span[b1:b2])} that the quote does not")
    counts = {text: out.count(text) for text in out}  # one line per kind of slip, counted
    out = [text if n == 1 else f"{text} ({n} times)" for text, n in counts.items()]
    if len(out) > MAX_DIFFERENCES:
        out = [*out[:MAX_DIFFERENCES], f"and {len(out) - MAX_DIFFERENCES} more"]
    return out


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
