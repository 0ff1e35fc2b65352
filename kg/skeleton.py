"""`kg new`: a mapping skeleton beside a new article, for an author to fill in.

Metadata comes from what the file itself says (a `date` header line, the scripts its text
uses); every other field is left empty and explained in comments. The skeleton is marked
`draft: true`, so one unfinished article does not stop the build of all the others: the
build leaves it out with a warning until the author deletes that line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from kg.article import load_article
from kg.atomic import write_file
from kg.corpus import Display
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


def write_skeleton(article_path: Path, display: Display) -> Path:
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
        "draft: true  # kg build leaves this mapping out while it is a draft: delete this line when its facts are ready",
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
    dateline = find_dateline(article.text)
    if article.header_date:
        lines += [f"  date: {article.header_date}           # from the article's 'date' header line"]
    elif dateline.date:
        lines += [f"  date: {dateline.date}           # from the dateline {dateline.raw!r}"]
    else:
        lines += ["  # date: YYYY-MM-DD         # only when the text gives it; this one has no date header"]
    if dateline.time:
        lines += [f'  time: "{dateline.time}"              # the time of day the dateline gives']
    lines += [
        f"  languages: [{', '.join(languages)}]        # guessed from the scripts used: check it",
        "  # publisher: ...            # only when the text says who published it",
        "  # outlet: org/...           # the outlet that published it, when it is a registry organisation",
        "  # author: {entity: person/..., quote: ...}   # or byline: <the author's line as written>",
    ]
    if dateline.place:
        lines += [f"  # dateline: {{place: city/..., quote: {json.dumps(dateline.place, ensure_ascii=False)}}}"]
    else:
        lines += ["  # dateline: {place: city/..., quote: ASTANA –}   # where the report was filed from"]
    cited = find_citations(article.text)
    lines += ["  # cites:                    # a source the article cites (not the publisher, not a speaker)"]
    for words in cited or ["According to ..."]:
        lines += [f"  #   - {{source: org/..., quote: {json.dumps(words, ensure_ascii=False)}, facts: [fact ids]}}"]
    lines += ["  # notes: >                  # quirks of the text a later editor should know"]
    undated = find_dates_without_year(article.text)
    if undated:
        lines += [
            "# Dates the text gives without a year or in words (record the full date only as an",
            "# editorial judgement, `editorial: why`):",
            *[f"#   {json.dumps(text, ensure_ascii=False)}" for text in undated],
        ]
    lines += [
        "",
        "# Each fact: subject, property, object, and the quote that states it. For example:",
        "#  - id: director",
        "#    subject: film/ayka-2018",
        "#    property: director",
        "#    object: person/sergey-dvortsevoy",
        "#    quote: The film’s director Sergei Dvortsevoi",
        "# A fact not (yet) done keeps its status and is then no plain triple: add",
        "#    status: Planned        # or Negotiating, Announced, Ongoing (Done is the default)",
        "# N-ary facts (an award won, a role, a plan with a status) use node/type/with; see the format.",
        "# Registry entities need one label in any language; mark a name no article gives with",
        "# `editor: [en]`; background facts (located in ...) need a reference (docs/mapping-format.md).",
        "# Roles, positions, occupations, credits: concept ids from `kg terms` (occupation/actor,",
        "#   role/signatory, position/minister, credit/composer), nuance as {concept: ..., qualifier: {en: ...}}.",
        "# Also: Credit nodes (crew/...), a Performance with no performer (character, actor not named),",
        "#   agreements (party, Participation role/signatory, scope, AgreementTerm, agreementStage, madeUnder),",
        "#   basedIn (an organisation's city), UnnamedPerson nodes (unnamed/...: knownAs, positionAt).",
        "facts: []",
        "",
    ]
    write_file(target, "\n".join(lines).encode("utf-8"))
    return target


# -- issue 12: what `kg new` recognises in a text -----------------------------------------------

_DATELINE = re.compile(r"^\s*(?:date\s+)?(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2}))?")
_PLACE_DATELINE = re.compile(r"(?:^|\s)([A-ZА-ЯЁ][A-ZА-ЯЁ.-]+(?: [A-ZА-ЯЁ][A-ZА-ЯЁ.-]+)*,? [–—-])(?= )")
_CITATION = re.compile(
    r"(?:[Aa]ccording to|[Rr]eports?|[Rr]eported by|сообща(?:ет|ют|ли)|передает|передаёт|пишет|по данным)\s+"
    r"(?:[«\"“][^»\"”\n]{1,40}[»\"”]|[A-ZА-ЯЁ][\w-]*(?:\s+[A-ZА-ЯЁ][\w-]*)?)"
)
_MONTHS_EN = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_MONTHS_RU = r"(?:январ|феврал|март|апрел|ма|июн|июл|август|сентябр|октябр|ноябр|декабр)[а-я]*"
# Days written in words: Russian genitive ordinals ("двадцатого", "двадцать первого") and
# English ordinals ("the twentieth of July", "July 1st" is digits).
_ORDINAL_RU = (
    r"(?:(?:двадцать|тридцать)\s+)?(?:первого|второго|третьего|четв[её]ртого|пятого|шестого|седьмого|"
    r"восьмого|девятого|десятого|одиннадцатого|двенадцатого|тринадцатого|четырнадцатого|пятнадцатого|"
    r"шестнадцатого|семнадцатого|восемнадцатого|девятнадцатого|двадцатого|тридцатого)"
)
_ORDINAL_EN = (
    r"(?:(?:twenty|thirty)[- ])?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
    r"twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)"
)
_DAY_MONTH = re.compile(
    rf"\b(?:{_MONTHS_EN}\s+\d{{1,2}}\b|\d{{1,2}}\s+{_MONTHS_EN}|\d{{1,2}}\s+{_MONTHS_RU}"
    rf"|{_ORDINAL_RU}\s+{_MONTHS_RU}|(?:the\s+)?{_ORDINAL_EN}\s+of\s+{_MONTHS_EN})(?![\w.]*\s*,?\s*\d{{4}})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Dateline:
    raw: str = ""
    date: str | None = None  # YYYY-MM-DD
    time: str | None = None  # HH:MM
    place: str | None = None  # the dateline's place as written ("ASTANA –")


def find_dateline(text: str) -> Dateline:
    """The date, time and place a dateline gives: " date 2025-08-25", "2024-6-26 16:07",
    "ASTANA –". Only what is there; an impossible date is left out."""
    import datetime as dt

    head = text[:300]
    date = time = raw = None
    match = _DATELINE.match(head)
    if match:
        year, month, day, hour, minute = match.groups()
        try:
            date = dt.date(int(year), int(month), int(day)).isoformat()
            raw = match.group(0).strip()
        except ValueError:
            date = None
        if date and hour is not None and int(hour) < 24:
            time = f"{int(hour):02d}:{minute}"
    place = _PLACE_DATELINE.search(head)
    return Dateline(raw or "", date, time, place.group(1) if place else None)


def find_citations(text: str) -> list[str]:
    """Words that cite another outlet ("According to Kazinform", "сообщает МИЦ")."""
    return list(dict.fromkeys(" ".join(m.group(0).split()) for m in _CITATION.finditer(text)))[:5]


def find_dates_without_year(text: str) -> list[str]:
    """Day-and-month dates with no year after them ("Nov. 24", "15 сентября")."""
    return list(dict.fromkeys(" ".join(m.group(0).split()) for m in _DAY_MONTH.finditer(text)))[:10]
