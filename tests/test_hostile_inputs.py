"""The hostile-input corpus (issue 11, classes 3, 4, 5 and 7): file names and ids that break
IRIs, input that exhausts memory or the stack, values that must be refused, and messages that
must say what differs. Data-driven: each case drops files of tests/hostile/ (or ones made
here, for bytes git should not hold: NUL, 20 MB, 10,000 levels) into a copy of the fixture
corpus, runs one command, and asserts

- the exit code;
- exactly one `error:` line per problem, each naming file:line (or the argument), each short;
- no Python traceback;
- after a refused build, out/ byte-identical to the good build it held before;
- after a build that succeeds, graph.nq, graph.trig and graph.ttl parse strictly in
  pyoxigraph, and hold the IRIs the case expects (a file name percent-encoded, say).

Each case starts from a copy of the fixture corpus and of the session's build of it
(conftest's `built_copy`): nothing is built again only to have a good build to compare with.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT, invoke, run_kg, snapshot

HOSTILE = ROOT / "tests" / "hostile"
GOOD = (HOSTILE / "good.yaml").read_text(encoding="utf-8")
MAPPING = "seeds/900_hostile.yaml"
ARTICLE = "seeds/900_hostile.txt"
REGISTRY = "seeds/registry/zz-hostile.yaml"
ID = "https://w3id.org/ca-film/id/"
GRAPH = "https://w3id.org/ca-film/graph/"
MAX_LINE = 500  # an error line quotes short excerpts, never a whole value

Setup = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    id: str
    issue_class: int
    setup: Setup
    errors: tuple[str, ...] = ()  # one regex per expected error line (after "error: ")
    exit: int = 1
    command: tuple[str, ...] = ("build",)
    iris: tuple[str, ...] = ()  # a build that succeeds: IRIs graph.nq must hold
    subprocess: bool = False  # run as a real process (python -m kg) instead of CliRunner


# -- how a case changes the corpus ----------------------------------------------------------


def line_of(needle: str, text: str = GOOD) -> int:
    """The line of good.yaml (or text) where needle starts: cases name lines as authors see them."""
    return text[: text.index(needle)].count("\n") + 1


def hostile(mapping: str | bytes = GOOD, article: str | bytes | None = None, name: str = "900_hostile") -> Setup:
    """Add an article and its mapping to seeds/ as NAME.txt and NAME.yaml. `mapping` is the
    YAML text (or the name of a file in tests/hostile/); its `article:` is pointed at NAME.txt."""

    def setup(corpus: Path) -> None:
        text = mapping
        if isinstance(text, str) and text.endswith(".yaml") and "\n" not in text:
            text = (HOSTILE / text).read_text(encoding="utf-8")
        if isinstance(text, str):
            text = text.replace("article: 900_hostile.txt", f"article: {_yaml_string(name + '.txt')}")
            text = text.encode("utf-8")
        body = article if article is not None else (HOSTILE / "article.txt").read_bytes()
        (corpus / "seeds" / f"{name}.yaml").write_bytes(text)
        (corpus / "seeds" / f"{name}.txt").write_bytes(body.encode("utf-8") if isinstance(body, str) else body)

    return setup


def _yaml_string(text: str) -> str:
    """A YAML double-quoted scalar for any text (JSON's escapes are YAML's)."""
    import json

    return json.dumps(text, ensure_ascii=False)


def edited(old: str, new: str, article: str | bytes | None = None) -> Setup:
    """good.yaml with one piece of text replaced."""
    assert old in GOOD, old
    return hostile(GOOD.replace(old, new, 1), article)


def registry(name: str) -> Setup:
    """A registry snippet of tests/hostile/ added as seeds/registry/zz-hostile.yaml."""

    def setup(corpus: Path) -> None:
        shutil.copyfile(HOSTILE / name, corpus / REGISTRY)

    return setup


def ontology(name: str) -> Setup:
    def setup(corpus: Path) -> None:
        shutil.copyfile(HOSTILE / name, corpus / "ontology" / "zz-hostile.ttl")

    return setup


def query(name: str) -> Setup:
    def setup(corpus: Path) -> None:
        shutil.copyfile(HOSTILE / name, corpus / name)

    return setup


def at(line: int, message: str, file: str = MAPPING) -> str:
    return rf"{re.escape(file)}:{line}: {message}"


# -- text made here -----------------------------------------------------------------------

BOMB_LINES = "\n".join(
    f"    - &l{i} [{', '.join([f'*l{i - 1}'] * 9) if i else ', '.join(['x'] * 9)}]" for i in range(9)
)
ARTICLE_TEXT = (HOSTILE / "article.txt").read_text(encoding="utf-8")
ILI_EN = "Kazakhstan’s studio and China’s partners are filming a joint series"
ILI_RU = "Казахстан и Китай снимают совместный сериал"
BUDGET = "    object: {amount: 900000000, currency: KZT}"
QUOTE_EN = f"      - {ILI_EN}\n"
TITLE = "  title: {en: Kazakhstan and China film a joint series}"
LANGS = "  languages: [en, ru]"
FACT_ID = "  - id: ili-countries"
SUBJECT = "    subject: series/waiting-for-you-in-ili\n    property: productionCountry"
ARTICLE_LINE = line_of("article:")

EPISODES = (
    "  - subject: series/waiting-for-you-in-ili\n    property: numberOfEpisodes\n    object: {value}\n"
    f"    quote: {ILI_EN}\n"
)
YEAR = f"  - subject: series/waiting-for-you-in-ili\n    property: year\n    object: {{value}}\n    quote: {ILI_EN}\n"
STATISTIC = (
    "  - node: statistic/hostile-figure\n    type: Statistic\n    with:\n      about: series/waiting-for-you-in-ili\n"
    f"      value: {{value}}\n    quote: {ILI_EN}\n"
)
DATED = (
    "  - node: screening/hostile-screening\n    type: Screening\n    with:\n      screenedWork: series/waiting-for-you-in-ili\n"
    f"      date: {{value}}\n    quote: {ILI_EN}\n"
)
MISSED = r"quote not found in seeds/900_hostile\.txt: .*; "
END = len(GOOD.splitlines()) + 1  # the first line of a fact appended to good.yaml


def appended(fact: str, value: str) -> Setup:
    return hostile(GOOD + fact.replace("{value}", value))


def value_line(fact: str, key: str) -> int:
    return END + line_of(key, fact) - 1


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


CASES = [
    # ---- class 3: ordinary file names and ids ------------------------------------------------
    Case(
        "name-with-space",
        3,
        hostile(name="my article"),
        exit=0,
        iris=(ID + "article/my%20article", GRAPH + "article/my%20article", ID + "amount/my%20article-ili-budget"),
        subprocess=True,
    ),
    Case(
        "name-with-hash",
        3,
        hostile(name="a#b"),
        exit=0,
        iris=(ID + "article/a%23b", ID + "claim/a%23b/ili-countries-1"),
    ),
    Case("name-with-percent", 3, hostile(name="p%41"), exit=0, iris=(ID + "article/p%2541",)),
    Case("name-with-question-mark", 3, hostile(name="what?x=1"), exit=0, iris=(GRAPH + "article/what%3Fx%3D1",)),
    Case(
        "name-with-angle-brackets-and-quotes",
        3,
        hostile(name='<b>"x"'),
        exit=0,
        iris=(ID + "article/%3Cb%3E%22x%22",),
    ),
    Case(
        "name-in-cyrillic",
        3,
        hostile(name="статья"),
        exit=0,
        iris=(ID + "article/%D1%81%D1%82%D0%B0%D1%82%D1%8C%D1%8F",),
    ),
    Case(
        "name-with-newline",
        3,
        hostile(name="nl\nx"),
        errors=(
            at(
                1,
                r"the file name 'nl\\nx.yaml' contains the control character U\+000A: rename the file",
                r"seeds/nl\nx.yaml",
            ),
        ),
        subprocess=True,
    ),
    Case(
        "name-with-tab",
        3,
        hostile(name="tab\tx"),
        errors=(at(1, r"the file name 'tab\\tx.yaml' contains the control character U\+0009", r"seeds/tab\tx.yaml"),),
    ),
    Case(
        "article-field-with-tab",
        3,
        edited("article: 900_hostile.txt", 'article: "900\\thostile.txt"'),
        errors=(
            at(ARTICLE_LINE, r"article: the file name '900\\thostile.txt' contains the control character U\+0009"),
        ),
    ),
    Case(
        "fact-id-ending-in-newline",
        3,
        edited(FACT_ID, '  - id: "ili-countries\\n"'),
        errors=(at(line_of(FACT_ID), r"fact id 'ili-countries\\n': lower-case letters, digits and hyphens"),),
    ),
    Case(
        "fact-id-with-hash",
        3,
        edited(FACT_ID, "  - id: ili#countries"),
        errors=(at(line_of(FACT_ID), r"fact id 'ili#countries': lower-case letters, digits and hyphens"),),
    ),
    Case(
        "fact-id-with-space",
        3,
        edited(FACT_ID, "  - id: ili countries"),
        errors=(at(line_of(FACT_ID), r"fact id 'ili countries'"),),
    ),
    Case(
        "node-id-ending-in-newline",
        3,
        appended(STATISTIC.replace("statistic/hostile-figure", '"statistic/hostile-figure\\n"'), "68"),
        errors=(at(END, r"bad node id 'statistic/hostile-figure\\n': write kind/slug"),),
    ),
    Case(
        "subject-ending-in-newline",
        3,
        edited(SUBJECT, '    subject: "series/waiting-for-you-in-ili\\n"\n    property: productionCountry'),
        errors=(at(line_of(SUBJECT), r"unknown entity 'series/waiting-for-you-in-ili\\n'"),),
    ),
    Case(
        "title-language-ending-in-newline",
        3,
        edited(TITLE, '  title: {"en\\n": Kazakhstan and China film a joint series}'),
        errors=(at(line_of(TITLE), r"metadata.title: 'en\\n' is not language: text"),),
    ),
    Case(
        "languages-ending-in-newline",
        3,
        edited(LANGS, '  languages: [en, "ru\\n"]'),
        errors=(at(line_of(LANGS), r"metadata.languages: a list of language codes"),),
    ),
    Case(
        "currency-ending-in-newline",
        3,
        edited(BUDGET, '    object: {amount: 900000000, currency: "KZT\\n"}'),
        errors=(at(line_of(BUDGET), r"currency 'KZT\\n' is not an ISO 4217 currency code"),),
    ),
    Case(
        "registry-ids-tags-and-wikidata-ending-in-newline",
        3,
        registry("registry-newline-id.yaml"),
        errors=(
            at(2, r"bad entity id 'person/hostile-one\\n': write kind/slug", REGISTRY),
            at(8, r"person/hostile-two: bad Wikidata id 'Q1234567\\n' \(like Q232\)", REGISTRY),
            at(11, r"person/hostile-three label: 'en\\n' is not a language code", REGISTRY),
        ),
    ),
    Case(
        "object-id-ending-in-newline",
        3,
        edited(
            "    object: [country/kazakhstan, country/china]", '    object: [country/kazakhstan, "country/china\\n"]'
        ),
        errors=(
            at(line_of("    object: [country"), r"unknown entity 'country/china\\n' \(did you mean country/china\?\)"),
        ),
    ),
    Case(
        "node-type-ending-in-newline",
        3,
        appended(STATISTIC.replace("type: Statistic", 'type: "Statistic\\n"'), "68"),
        errors=(at(END + 1, r"node statistic/hostile-figure: unknown class 'Statistic\\n'"),),
    ),
    Case(
        "language-value-ending-in-newline",
        3,
        appended(YEAR.replace("property: year", "property: originalLanguage"), '"kk\\n"'),
        errors=(at(value_line(YEAR, "object"), r"originalLanguage takes a language code like ru, not 'kk\\n'"),),
    ),
    Case(
        "language-value-kk-builds",
        3,
        appended(YEAR.replace("property: year", "property: originalLanguage"), "kk"),
        exit=0,
        iris=(ID + "series/waiting-for-you-in-ili",),
    ),
    Case(
        "ontology-iri-with-brace",
        3,
        ontology("ontology-iri-with-brace.ttl"),
        errors=(at(5, r"invalid ontology: Invalid IRI code point '\{'$", "ontology/zz-hostile.ttl"),),
        subprocess=True,
    ),
    Case(
        "ontology-iri-with-escaped-space",
        3,
        ontology("ontology-iri-with-escaped-space.ttl"),
        errors=(at(5, r"invalid ontology: Invalid IRI code point ' '$", "ontology/zz-hostile.ttl"),),
    ),
    Case(
        "registry-file-name-with-newline",
        3,
        lambda corpus: (corpus / "seeds" / "registry" / "zz\nhostile.yaml").write_text("[]\n", encoding="utf-8"),
        errors=(
            at(
                1,
                r"the file name 'zz\\nhostile.yaml' contains the control character U\+000A",
                r"seeds/registry/zz\nhostile.yaml",
            ),
        ),
    ),
    # ---- class 4: resource exhaustion --------------------------------------------------------
    Case(
        "alias-bomb-as-object",
        4,
        hostile("alias-bomb-object.yaml"),
        errors=(at(33, r"with its aliases \(\*name\) expanded the file holds over 1,000,000 values"),),
        subprocess=True,
    ),
    Case(
        "alias-bomb-as-property",
        4,
        hostile("alias-bomb-property.yaml"),
        errors=(at(11, r"with its aliases \(\*name\) expanded the file holds over 1,000,000 values"),),
    ),
    Case(
        "alias-bomb-in-registry",
        4,
        lambda corpus: (corpus / REGISTRY).write_text(f"- id: person/lol\n  note:\n{BOMB_LINES}\n", encoding="utf-8"),
        errors=(at(9, r"with its aliases \(\*name\) expanded the file holds over 1,000,000 values", REGISTRY),),
    ),
    Case("aliases-used-as-meant", 4, hostile("alias-fine.yaml"), exit=0, iris=(ID + "series/my-altay",)),
    Case(
        "yaml-nested-10000-deep-flow",
        4,
        hostile(GOOD + "extra: " + "[" * 10_000 + "]" * 10_000 + "\n"),
        errors=(at(END, r"lists and maps nest more than 20 deep"),),
        subprocess=True,
    ),
    Case(
        "yaml-nested-500-deep-block",
        4,
        hostile(GOOD + "".join("  " * i + f"k{i}:\n" for i in range(500)) + "  " * 500 + "end: 1\n"),
        errors=(at(END + 20, r"lists and maps nest more than 20 deep"),),
    ),
    Case(
        "object-as-list-25-deep",
        4,
        edited(
            "    object: [country/kazakhstan, country/china]", "    object: " + "[" * 25 + "country/china" + "]" * 25
        ),
        errors=(at(line_of("    object: [country"), r"lists and maps nest more than 20 deep"),),
    ),
    Case(
        "amount-1e999999999",
        4,
        edited(BUDGET, "    object: {amount: '1e999999999', currency: KZT}"),
        errors=(
            at(line_of(BUDGET), r"amount '1e999999999' is out of range: at most 30 digits before and after the point"),
        ),
        subprocess=True,
    ),
    Case(
        "amount-1e-999999999",
        4,
        edited(BUDGET, "    object: {amount: '1e-999999999', currency: KZT}"),
        errors=(at(line_of(BUDGET), r"amount '1e-999999999' is out of range"),),
    ),
    Case(
        "statistic-value-1e400",
        4,
        appended(STATISTIC, "'1e400'"),
        errors=(at(value_line(STATISTIC, "value"), r"value: '1e400' is out of range"),),
    ),
    Case(
        "integer-of-5000-digits",
        4,
        appended(EPISODES, "9" * 5000),
        errors=(
            at(value_line(EPISODES, "object"), r"a number of 5,000 characters, over the limit of 30: '9+\.\.\.9+'"),
        ),
    ),
    Case(
        "amount-of-40-digits",
        4,
        edited(BUDGET, "    object: {amount: " + "1" * 40 + ", currency: KZT}"),
        errors=(at(line_of(BUDGET), r"a number of 40 characters, over the limit of 30"),),
    ),
    Case(
        "property-name-of-50000-characters",
        4,
        edited("    property: budget", "    property: " + "p" * 50_000),
        errors=(
            at(
                line_of("    property: budget"), r"a value of 50,000 characters, over the limit of 10,000: 'p+\.\.\.p+'"
            ),
        ),
    ),
    Case(
        "property-name-of-20-mb",
        4,
        edited("    property: budget", "    property: " + "p" * 20_000_000),
        errors=(at(1, r"file is 19\.1 MB, over the 10 MB limit for a YAML file"),),
    ),
    Case(
        "metadata-notes-of-20-mb",
        4,
        edited(LANGS, LANGS + "\n  notes: " + "n" * 20_000_000),
        errors=(at(1, r"file is 19\.1 MB, over the 10 MB limit for a YAML file"),),
    ),
    Case(
        "metadata-notes-of-200-kb",
        4,
        edited(LANGS, LANGS + "\n  notes: " + "n " * 100_000),
        errors=(
            at(line_of(LANGS) + 1, r"a value of 199,999 characters, over the limit of 10,000: 'n n n.*\.\.\..*n n'$"),
        ),
    ),
    Case(
        "with-key-of-50000-characters",
        4,
        appended(STATISTIC.replace("      value: {value}", "      " + "k" * 50_000 + ": 1"), ""),
        # YAML itself allows an implicit key of at most 1,024 characters
        errors=(at(value_line(STATISTIC, "value"), r"YAML syntax error: could not find expected ':'$"),),
    ),
    Case(
        "registry-label-of-50000-characters",
        4,
        lambda corpus: (corpus / REGISTRY).write_text(
            "- id: person/long\n  type: Person\n  label: {en: " + "L" * 50_000 + ", ru: Длинный}\n", encoding="utf-8"
        ),
        errors=(at(3, r"a value of 50,000 characters", REGISTRY),),
    ),
    Case(
        "quote-of-9000-characters-not-found",
        4,
        edited(QUOTE_EN, "      - " + "q" * 9000 + "\n"),
        errors=(
            at(
                line_of(QUOTE_EN),
                r"quote not found in seeds/900_hostile\.txt: 'q+\.\.\.q+'; the quote is longer than the article "
                r"\(9,000 characters against 307\)$",
            ),
        ),
    ),
    Case(
        "article-of-6-mb",
        4,
        hostile(article="x" * (6 * 2**20)),
        errors=(at(1, r"article is 6\.0 MB, over the 5 MB limit for one article", ARTICLE),),
    ),
    Case(
        "sparql-50-nested-braces",
        4,
        query("deep.rq"),
        command=("query", "deep.rq"),
        exit=2,
        errors=(at(3, r"the query nests 50 deep; at most 20 levels of \{ \} \( \) \[ \] are allowed", "deep.rq"),),
        subprocess=True,
    ),
    Case(
        "sparql-40-nested-parentheses",
        4,
        query("deep-parens.rq"),
        command=("query", "deep-parens.rq"),
        exit=2,
        errors=(at(4, r"the query nests 41 deep", "deep-parens.rq"),),
    ),
    # ---- class 5: values that must be refused -----------------------------------------------
    Case(
        "negative-budget",
        5,
        edited(BUDGET, "    object: {amount: -900000000, currency: KZT}"),
        errors=(at(line_of(BUDGET), r"amount -900000000 is negative: an amount of money is 0 or more"),),
    ),
    Case(
        "negative-budget-as-text",
        5,
        edited(BUDGET, "    object: {amount: '-1.5', currency: KZT}"),
        errors=(at(line_of(BUDGET), r"amount '-1\.5' is negative"),),
    ),
    Case(
        "currency-XYZ",
        5,
        edited(BUDGET, "    object: {amount: 900000000, currency: XYZ}"),
        errors=(at(line_of(BUDGET), r"currency 'XYZ' is not an ISO 4217 currency code \(like EUR, USD, KZT\)"),),
    ),
    Case(
        "currency-lower-case",
        5,
        edited(BUDGET, "    object: {amount: 900000000, currency: kzt}"),
        errors=(at(line_of(BUDGET), r"currency 'kzt' is not an ISO 4217 currency code"),),
    ),
    Case(
        "currency-as-number",
        5,
        edited(BUDGET, "    object: {amount: 900000000, currency: 398}"),
        errors=(at(line_of(BUDGET), r"currency 398 is not an ISO 4217 currency code"),),
    ),
    Case(
        "currency-UZS-is-real",
        5,
        edited(BUDGET, "    object: {amount: 900000000, currency: UZS}"),
        exit=0,
        iris=(ID + "amount/900_hostile-ili-budget",),
    ),
    Case(
        "amount-nan",
        5,
        edited(BUDGET, "    object: {amount: .nan, currency: KZT}"),
        errors=(at(line_of(BUDGET), r"amount nan is not a finite number"),),
    ),
    Case(
        "amount-true",
        5,
        edited(BUDGET, "    object: {amount: true, currency: KZT}"),
        errors=(at(line_of(BUDGET), r"amount True is not a number"),),
    ),
    Case(
        "negative-number-of-episodes",
        5,
        appended(EPISODES, "-3"),
        errors=(
            at(value_line(EPISODES, "object"), r"numberOfEpisodes counts something: a whole number 0 or more, not -3"),
        ),
    ),
    Case(
        "year-in-arabic-indic-digits",
        5,
        appended(YEAR, "'٢٠١٨'"),
        errors=(at(value_line(YEAR, "object"), r"year takes a year like 2026 \(digits 0-9\), not '٢٠١٨'"),),
    ),
    Case(
        "year-in-fullwidth-digits",
        5,
        appended(YEAR, "'２０１８'"),
        errors=(at(value_line(YEAR, "object"), r"year takes a year like 2026 \(digits 0-9\), not '２０１８'"),),
    ),
    Case(
        "date-in-devanagari-digits",
        5,
        appended(DATED, "'२०१८-०५-१९'"),
        errors=(at(value_line(DATED, "date"), r"date takes a date YYYY-MM-DD, not '२०१८-०५-१९'"),),
    ),
    Case(
        "metadata-date-in-arabic-indic-digits",
        5,
        edited(LANGS, LANGS + "\n  date: '٢٠١٨-٠٥-١٩'"),
        errors=(at(line_of(LANGS) + 1, r"metadata\.date: '٢٠١٨-٠٥-١٩' is not a date YYYY-MM-DD"),),
    ),
    Case(
        "nul-byte-in-mapping",
        5,
        hostile(GOOD.replace("  languages: [en, ru]", "  languages: [en,\x00 ru]")),
        errors=(
            at(line_of(LANGS), r"column 18: the character U\+0000 \(a control character\) is not allowed in YAML"),
        ),
        subprocess=True,
    ),
    Case(
        "nul-byte-in-article-path",
        5,
        edited("article: 900_hostile.txt", 'article: "900_hostile.txt\\0"'),
        errors=(at(ARTICLE_LINE, r"the character U\+0000 \(a control character\) is not allowed in a value"),),
        subprocess=True,
    ),
    Case(
        "bell-character-in-mapping",
        5,
        hostile(GOOD.replace(TITLE, TITLE.replace("joint", "joint\x07"))),
        errors=(
            at(
                line_of(TITLE),
                r"column 48: the character U\+0007 \(a control character\) is not allowed in YAML; remove it$",
            ),
        ),
    ),
    Case(
        "escape-character-in-a-value",
        5,
        edited(TITLE, '  title: {en: "Kazakhstan \\e[31m and China"}'),
        errors=(at(line_of(TITLE), r"the character U\+001B \(a control character\) is not allowed in a value"),),
    ),
    Case(
        "lone-surrogate-in-a-value",
        5,
        edited(TITLE, '  title: {en: "Kazakhstan \\ud800"}'),
        errors=(at(line_of(TITLE), r"the character U\+D800 \(a lone surrogate\) is not allowed in a value"),),
    ),
    Case(
        "line-separator-in-a-value",
        5,
        edited(TITLE, '  title: {en: "Kazakhstan \\L and China"}'),
        errors=(at(line_of(TITLE), r"the character U\+2028 \(LINE SEPARATOR\) is not allowed in a value"),),
    ),
    Case(
        "yaml-tag-python-object",
        5,
        hostile("yaml-tags.yaml"),
        errors=(at(8, r"the YAML tag 'tag:yaml\.org,2002:python/object/apply:os\.system' is not allowed"),),
    ),
    Case(
        "yaml-tag-binary",
        5,
        edited(TITLE, "  title: !!binary aGVsbG8="),
        errors=(at(line_of(TITLE), r"the YAML tag 'tag:yaml\.org,2002:binary' is not allowed"),),
    ),
    Case(
        "yaml-tag-set",
        5,
        edited(LANGS, "  languages: !!set {en, ru}"),
        errors=(at(line_of(LANGS), r"the YAML tag 'tag:yaml\.org,2002:set' is not allowed"),),
    ),
    Case(
        "yaml-tag-timestamp",
        5,
        edited(LANGS, LANGS + "\n  date: !!timestamp 2018-05-19"),
        errors=(at(line_of(LANGS) + 1, r"the YAML tag 'tag:yaml\.org,2002:timestamp' is not allowed"),),
    ),
    Case(
        "list-as-a-key",
        5,
        edited(LANGS, LANGS + "\n  ? [a, b]\n  : c"),
        errors=(at(line_of(LANGS) + 1, r"a key must be text or a number, not \['a', 'b'\]$"),),
    ),
    Case(
        "duplicate-keys",
        5,
        edited(LANGS, LANGS + "\n  languages: [kk]"),
        errors=(at(line_of(LANGS) + 1, rf"duplicate key 'languages' \(first on line {line_of(LANGS)}\)"),),
    ),
    Case(
        "byte-order-mark-and-crlf",
        5,
        hostile("\ufeff" + GOOD.replace("\n", "\r\n")),
        exit=0,
        iris=(ID + "article/900_hostile",),
    ),
    Case(
        "article-with-nul-bom-and-crlf",
        5,
        hostile(article="\ufeff" + ARTICLE_TEXT.replace("\n", "\r\n").replace("Monday.", "Monday.\x00\x07")),
        exit=0,
        iris=(ID + "evidence/900_hostile/ili-countries-q1",),
    ),
    # ---- class 7: messages that say what differs --------------------------------------------
    Case(
        "quote-in-nfd",
        7,
        edited(f"      - {ILI_RU}\n", f"      - {nfd('Съёмки пройдут в Алматинской области')}\n"),
        errors=(
            at(
                line_of(f"      - {ILI_RU}"),
                r"quote not found in seeds/900_hostile\.txt: .*; the same letters in another Unicode form: "
                r"the quote is in NFD .*, the article in NFC .*; nearest in the article, line 3: 'Съёмки пройдут",
            ),
        ),
    ),
    Case(
        "quote-with-straight-apostrophe",
        7,
        edited(QUOTE_EN, QUOTE_EN.replace("’", "'")),
        errors=(
            at(
                line_of(QUOTE_EN),
                MISSED + r"nearest in the article, line 1: 'Kazakhstan’s studio.*; differs: "
                r"the quote has ' \(U\+0027 APOSTROPHE\) where the article has ’ \(U\+2019 RIGHT SINGLE QUOTATION MARK\) "
                r"\(2 times\)$",
            ),
        ),
    ),
    Case(
        "quote-with-soft-hyphen",
        7,
        edited(f"      - {ILI_RU}\n", "      - Казахстан и Китай сни\u00adмают совместный сериал\n"),
        errors=(
            at(
                line_of(f"      - {ILI_RU}"),
                MISSED + r"nearest in the article, line 2: 'Казахстан и Китай снимают совместный сериал'; "
                r"differs: the quote has an invisible soft hyphen \(U\+00AD SOFT HYPHEN\) that the article does not$",
            ),
        ),
    ),
    Case(
        "quote-with-zero-width-space",
        7,
        edited(f"      - {ILI_RU}\n", "      - Казахстан и\u200b Китай снимают совместный сериал\n"),
        errors=(
            at(
                line_of(f"      - {ILI_RU}"),
                MISSED
                + r"differs: the quote has an invisible zero-width space \(U\+200B ZERO WIDTH SPACE\) that the article does not$",
            ),
        ),
    ),
    Case(
        "quote-with-ie-for-io",
        7,
        edited(f"      - {ILI_RU}\n", "      - Съемки пройдут в Алматинской области\n"),
        errors=(
            at(
                line_of(f"      - {ILI_RU}"),
                MISSED
                + r"nearest in the article, line 3: 'Съёмки пройдут в Алматинской области'; differs: the quote has е \(U\+0435 CYRILLIC SMALL LETTER IE\) "
                r"where the article has ё \(U\+0451 CYRILLIC SMALL LETTER IO\)$",
            ),
        ),
    ),
    Case(
        "quote-with-straight-double-quotes",
        7,
        edited(f"      - {ILI_RU}\n", '      - совместный сериал "Жду тебя на Или"\n'),
        errors=(
            at(
                line_of(f"      - {ILI_RU}"),
                MISSED + r"nearest in the article, line 2: 'совместный сериал «Жду тебя на Или»,'; "
                r"differs: the quote has \" \(U\+0022 QUOTATION MARK\) where the article has « \(U\+00AB LEFT-POINTING DOUBLE "
                r"ANGLE QUOTATION MARK\); the quote has \" \(U\+0022 QUOTATION MARK\) where the article has » \(U\+00BB "
                r"RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK\)$",
            ),
        ),
    ),
    Case(
        "quote-from-nowhere",
        7,
        edited(f"      - {ILI_RU}\n", "      - Совершенно другая фраза про бананы и космос\n"),
        errors=(
            at(
                line_of(f"      - {ILI_RU}"),
                r"quote not found in seeds/900_hostile\.txt: '.*'; nothing like it in the article$",
            ),
        ),
    ),
    Case(
        "quote-longer-than-the-article",
        7,
        edited(QUOTE_EN, "      - " + " ".join([ILI_EN] * 12) + "\n"),
        errors=(
            at(line_of(QUOTE_EN), MISSED + r"the quote is longer than the article \(8\d\d characters against 3\d\d\)$"),
        ),
    ),
    Case(
        "ontology-syntax-error",
        7,
        ontology("bad-ontology.ttl"),
        errors=(
            at(
                5,
                r"cannot parse ontology: .* \(near 'rdfs:label \"an unterminated label \.'\)",
                "ontology/zz-hostile.ttl",
            ),
        ),
        subprocess=True,
    ),
]


# -- running a case -------------------------------------------------------------------------


def _parse_strictly(out: Path) -> set[str]:
    """Every output file parsed by pyoxigraph with IRI and literal checks on; the IRIs of graph.nq."""
    import pyoxigraph

    formats = {
        "graph.nq": pyoxigraph.RdfFormat.N_QUADS,
        "graph.trig": pyoxigraph.RdfFormat.TRIG,
        "graph.ttl": pyoxigraph.RdfFormat.TURTLE,
    }
    iris: set[str] = set()
    for name, fmt in formats.items():
        for quad in pyoxigraph.parse(path=str(out / name), format=fmt):
            if name == "graph.nq":
                iris.update(
                    t.value for t in (quad.subject, quad.object, quad.graph_name) if isinstance(t, pyoxigraph.NamedNode)
                )
    return iris


def _tiered(cases: list[Case]) -> list:
    """The first case of each kind (issue class, command, refused or built, in-process or in a
    real process) runs in the fast tier; the other cases, a build each, are marked slow."""
    seen: set[tuple] = set()
    params = []
    for case in cases:
        kind = (case.issue_class, case.command[0], case.exit == 0, case.subprocess)
        params.append(pytest.param(case, id=case.id, marks=[pytest.mark.slow] if kind in seen else []))
        seen.add(kind)
    return params


@pytest.mark.parametrize("case", _tiered(CASES))
def test_hostile_input(case: Case, corpus, built_copy, monkeypatch):
    out = built_copy
    before = snapshot(out)
    case.setup(corpus)
    monkeypatch.chdir(corpus)

    args = [*case.command, "--out", str(out)]
    if case.subprocess:
        proc = run_kg(*args, cwd=corpus)
        code, output = proc.returncode, proc.stdout + proc.stderr
    else:
        result = invoke(*args, project=corpus)
        code, output = result.exit_code, result.output

    assert "Traceback" not in output, output[-3000:]
    assert code == case.exit, output[-3000:]
    errors = [line[len("error: ") :] for line in output.splitlines() if line.startswith("error: ")]
    assert len(errors) == len(case.errors), errors
    for pattern in case.errors:
        matching = [line for line in errors if re.match(pattern, line)]
        assert len(matching) == 1, (pattern, errors)
    for line in errors:
        assert re.match(r"\S.*?:\d+: \S", line), line  # names file:line
        assert len(line) <= MAX_LINE, line[:500]
    if case.exit != 0:
        assert snapshot(out) == before
        if case.command[0] == "build":
            assert output.splitlines()[-1] == f"{len(case.errors)} problem(s); nothing was written."
    else:
        assert snapshot(out) != before
        minted = _parse_strictly(out)
        missing = [iri for iri in case.iris if iri not in minted]
        assert not missing, missing


def test_the_corpus_covers_each_class():
    """At least 50 cases over the four classes, each class with several."""
    per_class = {n: sum(1 for c in CASES if c.issue_class == n) for n in (3, 4, 5, 7)}
    assert sum(per_class.values()) >= 50, per_class
    assert all(count >= 5 for count in per_class.values()), per_class
    assert len({c.id for c in CASES}) == len(CASES)


def test_the_good_mapping_builds(corpus, tmp_path, monkeypatch):
    """The control: good.yaml and article.txt build, so each case breaks exactly one thing; the
    budget is in tenge and every output parses strictly."""
    hostile()(corpus)
    monkeypatch.chdir(corpus)
    out = tmp_path / "out"
    result = invoke("build", "--out", str(out), project=corpus)
    assert result.exit_code == 0, result.output
    minted = _parse_strictly(out)
    assert ID + "amount/900_hostile-ili-budget" in minted
    nquads = (out / "graph.nq").read_text(encoding="utf-8")
    assert f'<{ID}amount/900_hostile-ili-budget> <https://w3id.org/ca-film/ontology#currency> "KZT"' in nquads


def test_nested_braces_in_strings_do_not_count():
    """The SPARQL nesting limit counts real groups, not braces in strings, IRIs or comments."""
    from kg.limits import query_nesting_problem

    text = (HOSTILE / "nested-ok.rq").read_text(encoding="utf-8")
    assert query_nesting_problem(text) is None
    assert query_nesting_problem("SELECT * WHERE " + "{" * 21 + "}" * 21) == (
        1,
        "the query nests 21 deep; at most 20 levels of { } ( ) [ ] are allowed",
    )


def test_excerpt_never_expands_an_alias_bomb():
    """The one helper every message uses to quote a value: short, one line, and it stops
    walking a shared structure after a few items (repr() of this is 387 million items)."""
    from kg.limits import excerpt

    bomb: list = ["x"] * 9
    for _ in range(8):
        bomb = [bomb] * 9
    shown = excerpt(bomb)
    assert len(shown) <= 60 and shown.startswith("[[[")
    assert excerpt("a\nb") == "'a\\nb'"
    assert excerpt("z" * 10_000) == "'" + "z" * 27 + "..." + "z" * 28 + "'"


def test_currencies_come_from_iso_4217():
    """Central Asian and the usual currencies are known; a made-up or withdrawn code is not."""
    from kg.mapping import is_currency

    assert all(is_currency(code) for code in ("KZT", "UZS", "KGS", "TJS", "TMT", "RUB", "CNY", "EUR", "USD"))
    assert not any(is_currency(code) for code in ("XYZ", "eur", "EUR\n", "EU", "", None, 978))


def test_only_aliases_count_towards_the_expansion_limit(tmp_path, monkeypatch):
    """Values written out are bounded by the file size and never refused as a "bomb" (a
    registry of 100,000 entities is over a million values); values that aliases stand for are.
    The limit is lowered to 100 here so the files stay small."""
    import kg.yamlfile
    from kg.yamlfile import load_yaml

    monkeypatch.setattr(kg.yamlfile, "MAX_YAML_VALUES", 100)
    written = tmp_path / "written.yaml"
    written.write_text("[" + ", ".join(["x"] * 500) + "]\n", encoding="utf-8")
    data, problems = load_yaml(written, "written.yaml")
    assert problems == [] and data == ["x"] * 500
    aliased = tmp_path / "aliased.yaml"
    aliased.write_text(
        "a: &ten [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb: [" + ", ".join(["*ten"] * 11) + "]\n", encoding="utf-8"
    )
    data, problems = load_yaml(aliased, "aliased.yaml")
    assert data is None
    assert [str(p) for p in problems] == [
        "aliased.yaml:2: with its aliases (*name) expanded the file holds over 100 values; write the values out instead"
    ]
