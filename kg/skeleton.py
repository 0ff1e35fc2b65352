"""`kg new`: a mapping skeleton beside a new article, for an author to fill in.

Metadata comes from what the file itself says (a `date` header line, the scripts its text
uses); every other field is left empty and explained in comments. The build reports an
unfilled skeleton as incomplete (no facts yet), never as a crash.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from kg.article import load_article
from kg.errors import InputError, UsageError

_KAZAKH_LETTERS = re.compile(r"[ӘәҒғҚқҢңӨөҰұҮүҺһІі]")
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_LATIN_WORD = re.compile(r"\b[A-Za-z]{3,}\b")
_PLACEHOLDER = re.compile(r"^\{[A-Za-z_]+\}$")


def guess_languages(text: str) -> list[str]:
    """The languages a text is written in, judged by its scripts: a guess for the author to
    confirm, so it errs towards listing a language."""
    languages = []
    if len(_LATIN_WORD.findall(text)) >= 20:
        languages.append("en")
    if len(_CYRILLIC.findall(text)) >= 50:
        languages.append("ru")
    if len(_KAZAKH_LETTERS.findall(text)) >= 20:
        languages.append("kk")
    return languages or ["ru"]


def guess_title(text: str) -> str | None:
    """The first line when it looks like a headline: short, not a template placeholder,
    not a header line, not ending in a full stop."""
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if _PLACEHOLDER.match(line) or line.startswith("date ") or len(line) > 200 or line.endswith("."):
            return None
        return line
    return None


def write_skeleton(article_path: Path, display) -> Path:
    """Write NAME.yaml beside NAME.txt; refuse to overwrite an existing mapping."""
    if article_path.suffix != ".txt":
        raise UsageError(f"{article_path}: an article is a .txt file")
    target = article_path.with_suffix(".yaml")
    if target.exists():
        raise UsageError(f"{display(target)} already exists; kg new never overwrites a mapping")
    article, problems = load_article(article_path, display(article_path))
    if article is None:
        raise InputError(problems)
    title = guess_title(article.text)
    languages = guess_languages(article.text)
    lang = languages[-1] if "en" not in languages or len(languages) == 1 else "en"
    lines = [
        f"# Mapping of {article_path.name}. Written by `kg new`; fill it in by hand.",
        "# Format: docs/mapping-format.md. Terms: `kg terms`. Find entities: `kg entities search NAME`.",
        "",
        f"article: {article_path.name}",
        "metadata:",
    ]
    if title:
        lines += [
            "  title:                     # the headline, per language, as the text gives it",
            f"    {lang}: {json.dumps(title, ensure_ascii=False)}",
        ]
    else:
        lines += ["  # title: {ru: ...}         # the headline, if the text has one"]
    if article.header_date:
        lines += [f"  date: {article.header_date}           # from the article's 'date' header line"]
    else:
        lines += ["  # date: YYYY-MM-DD         # only when the text gives it; this one has no date header"]
    lines += [
        f"  languages: [{', '.join(languages)}]        # guessed from the scripts used: check it",
        "  # publisher: ...            # only when the text says who published it",
        "  # notes: >                  # quirks of the text a later editor should know",
        "",
        "# Each fact: subject, property, object, and the quote that states it. For example:",
        "#  - id: director",
        "#    subject: film/ayka-2018",
        "#    property: director",
        "#    object: person/sergey-dvortsevoy",
        "#    quote: The film’s director Sergei Dvortsevoi",
        "# N-ary facts (an award won, a role, a plan with a status) use node/type/with; see the format.",
        "# Roles, positions, occupations, credits: concept ids from `kg terms` (occupation/actor,",
        "#   role/signatory, position/minister, credit/composer), nuance as {concept: ..., qualifier: {en: ...}}.",
        "# Also: Credit nodes (crew/...), a Performance with no performer (character, actor not named),",
        "#   agreements (party, Participation role/signatory, scope, AgreementTerm, agreementStage, madeUnder),",
        "#   basedIn (an organisation's city), UnnamedPerson nodes (unnamed/...: knownAs, positionAt).",
        "facts: []",
        "",
    ]
    target.write_text("\n".join(lines), encoding="utf-8")
    return target
