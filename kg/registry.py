"""The shared entities: one id, one IRI, one type and labels per real thing across articles.

Loaded from seeds/registry/*.yaml and checked: id syntax, kind against type, at least one
label (in any language), where each label comes from (an article by default; `editor:` for the
editor's own transliteration or translation, `from-wikidata:` for a label taken from the
entity's Wikidata item), no HTML in labels, Wikidata ids well-formed and not shared by two
entities, and background facts (`background:`), each with its reference.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.corpus import Display
from kg.errors import Problem, Problems
from kg.iris import ENTITY_KINDS, ID_PATTERN, name_problem, slugify
from kg.limits import excerpt
from kg.ontology import Ontology
from kg.yamlfile import LineDict, LineList, Yaml, load_yaml

# Checked with fullmatch: "$" also matches before a final newline ("en\n", "Q232\n").
LANG_PATTERN = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
HTML_PATTERN = re.compile(r"<\s*[A-Za-z/!?]|&[A-Za-z#][A-Za-z0-9]*;")
WIKIDATA_PATTERN = re.compile(r"Q[1-9][0-9]*")
ENTRY_KEYS = {"id", "type", "label", "alt", "wikidata", "note", "editor", "from-wikidata", "background"}


@dataclass
class Entity:
    id: str
    type: str
    labels: dict[str, str]
    alt: dict[str, list[str]]
    wikidata: str | None
    file: str
    line: int
    editor: tuple[str, ...] = ()  # languages whose label is the editor's transliteration/translation
    from_wikidata: tuple[str, ...] = ()  # languages whose label was taken from the Wikidata item
    background: tuple[BackgroundFact, ...] = ()  # checked from background_source by load_registry
    background_source: Yaml = None  # the entry's `background:` as written

    def label_source(self, lang: str) -> str:
        """Where the label in `lang` comes from: article, editor or wikidata."""
        if lang in self.editor:
            return "editor"
        if lang in self.from_wikidata:
            return "wikidata"
        return "article"

    @property
    def kind(self) -> str:
        return self.id.split("/", 1)[0]

    def all_labels(self) -> list[tuple[str, str]]:
        """(language, text) for the labels and then the alternative labels."""
        out = list(self.labels.items())
        out += [(lang, text) for lang, texts in self.alt.items() for text in texts]
        return out


@dataclass
class Registry:
    entities: dict[str, Entity] = field(default_factory=dict)

    def get(self, entity_id: str) -> Entity | None:
        return self.entities.get(entity_id)


def check_text(value: object, where: Problem) -> list[Problem]:
    """Labels are shown in pages and tables: refuse markup rather than trust every escaper."""
    if isinstance(value, str) and HTML_PATTERN.search(value):
        return [Problem(where.file, where.line, f"{where.message} contains HTML markup: {excerpt(value)}")]
    return []


def _lang_map(value: Yaml, file: str, line: int, what: str, many: bool) -> tuple[dict[str, list[str]], list[Problem]]:
    """{language: texts} of a `label:` (many=False: one text per language, returned as a list
    of one) or an `alt:` map (many: a text or a list of texts per language)."""
    problems = Problems()
    if not isinstance(value, dict):
        return {}, [Problem(file, line, f"{what} must be a map of language to text, like {{en: ..., ru: ...}}")]
    out: dict[str, list[str]] = {}
    for lang, text in value.items():
        lang_line = value.line_of(lang) if isinstance(value, LineDict) else line
        if not isinstance(lang, str) or not LANG_PATTERN.fullmatch(lang):
            problems.add(file, lang_line, f"{what}: {excerpt(lang)} is not a language code (en, ru, kk)")
            continue
        items = text if many and isinstance(text, list) else [text]
        texts = [t for t in items if isinstance(t, str) and t.strip()]
        if len(texts) != len(items):
            problems.add(file, lang_line, f"{what}.{lang} must be non-empty text")
            continue
        for t in texts:
            problems += check_text(t, Problem(file, lang_line, f"{what}.{lang}"))
        out[lang] = [t.strip() for t in texts]
    return out, problems


def load_registry(files: list[Path], ontology: Ontology, display: Display) -> tuple[Registry, Problems]:
    registry = Registry()
    problems = Problems()
    wikidata_seen: dict[str, Entity] = {}
    for path in files:
        name = display(path)
        if (bad_name := name_problem(path.name)) is not None:  # shown escaped: a message is one line
            problems.add(repr(name)[1:-1], 1, bad_name)
            continue
        data, found = load_yaml(path, name)
        problems += found
        if data is None:
            continue
        if not isinstance(data, LineList):
            problems.add(name, getattr(data, "line", 1), "a registry file is a list of entities (- id: ...)")
            continue
        for i, item in enumerate(data):
            line = data.line_of(i)
            if not isinstance(item, LineDict):
                problems.add(name, line, "each registry entry is a map with id, type and label")
                continue
            entity, found = _entity(item, name, ontology)
            problems += found
            if entity is None:
                continue
            if (first := registry.entities.get(entity.id)) is not None:
                problems.add(name, line, f"duplicate entity id {entity.id!r} (first in {first.file}:{first.line})")
                continue
            if entity.wikidata and (other := wikidata_seen.get(entity.wikidata)):
                problems.add(
                    name,
                    line,
                    f"Wikidata id {entity.wikidata} is already used by {other.id} ({other.file}:{other.line})",
                )
            if entity.wikidata:
                wikidata_seen.setdefault(entity.wikidata, entity)
            registry.entities[entity.id] = entity
    for entity in registry.entities.values():
        entity.background, found = _background(entity, registry, ontology)
        problems += found
    return registry, problems


def _entity(item: LineDict, file: str, ontology: Ontology) -> tuple[Entity | None, list[Problem]]:
    problems = Problems()
    unknown = set(item) - ENTRY_KEYS
    for key in sorted(unknown, key=str):
        problems.add(
            file, item.line_of(key), f"unknown key {excerpt(key)} in registry entry ({', '.join(sorted(ENTRY_KEYS))})"
        )
    entity_id = item.get("id")
    if not isinstance(entity_id, str) or not (m := ID_PATTERN.fullmatch(entity_id)):
        return None, [
            *problems,
            Problem(
                file,
                item.line_of("id"),
                f"bad entity id {excerpt(entity_id)}: write kind/slug, like person/akan-sataev",
            ),
        ]
    kind = m.group(1)
    if kind not in ENTITY_KINDS:
        problems.add(
            file,
            item.line_of("id"),
            f"{entity_id}: unknown kind {excerpt(kind)} (one of {', '.join(ENTITY_KINDS)})",
        )
    type_ = item.get("type")
    if type_ not in ontology.classes:
        problems.add(file, item.line_of("type"), f"{entity_id}: unknown class {excerpt(type_)}")
    elif kind in ENTITY_KINDS and not ontology.is_a(str(type_), ENTITY_KINDS[kind]):
        problems.add(
            file,
            item.line_of("type"),
            f"{entity_id}: type {type_} does not fit kind {excerpt(kind)} (needs a {ENTITY_KINDS[kind]})",
        )
    labels: dict[str, str] = {}
    found: list[Problem] = []
    if item.get("label") is not None:
        one, found = _lang_map(item.get("label"), file, item.line_of("label"), f"{entity_id} label", many=False)
        labels = {lang: texts[0] for lang, texts in one.items()}
    problems += found
    if not labels and not found:
        problems.add(file, item.line_of("label"), f"{entity_id}: no label (give one, in any language)")
    alt: dict[str, list[str]] = {}
    if "alt" in item:
        alt, found = _lang_map(item["alt"], file, item.line_of("alt"), f"{entity_id} alt", many=True)
        problems += found
    wikidata = item.get("wikidata")
    if wikidata is not None and (not isinstance(wikidata, str) or not WIKIDATA_PATTERN.fullmatch(wikidata)):
        problems.add(file, item.line_of("wikidata"), f"{entity_id}: bad Wikidata id {excerpt(wikidata)} (like Q232)")
        wikidata = None
    editor, found = _label_langs(item, "editor", labels, entity_id, file)
    problems += found
    from_wikidata, found = _label_langs(item, "from-wikidata", labels, entity_id, file)
    problems += found
    if from_wikidata and not wikidata:
        problems.add(file, item.line_of("from-wikidata"), f"{entity_id}: from-wikidata needs the entity's wikidata id")
    for lang in sorted(set(editor) & set(from_wikidata)):
        problems.add(
            file, item.line_of("editor"), f"{entity_id}: the {lang} label is either the editor's or Wikidata's"
        )
    entity = Entity(entity_id, str(type_), labels, alt, wikidata, file, item.line, editor, from_wikidata)
    entity.background_source = item.get("background")  # checked against the ontology by _background
    return entity, problems


def _label_langs(
    item: LineDict, key: str, labels: dict[str, str], entity_id: str, file: str
) -> tuple[tuple[str, ...], list[Problem]]:
    """`editor: [ru]` / `from-wikidata: [kk]`: the languages whose label has that source."""
    if key not in item:
        return (), []
    value = item[key]
    line = item.line_of(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        return (), [Problem(file, line, f"{entity_id} {key}: a list of label languages, like [ru]")]
    problems = [
        Problem(file, line, f"{entity_id} {key}: no {lang} label to mark") for lang in value if lang not in labels
    ]
    return tuple(sorted(v for v in value if isinstance(v, str) and v in labels)), problems


def fold(text: str) -> str:
    """The search key: transliterated to ASCII, no diacritics, lower case, letters and digits
    only, words separated by one space. 'Дворцевой' and 'Dvortsevoy' fold to the same key.

    The one folding rule of the project: registry search, `kg viz ego`, `--bind` labels,
    likely-twin checks and the HTML page's search (through fold_table) all use it."""
    text = unicodedata.normalize("NFKC", text)
    return slugify(text).replace("-", " ")


# Unicode blocks whose characters the page's search box folds by table (see fold_table):
# Latin-1 and Latin Extended, Greek, Cyrillic and its supplement.
FOLD_TABLE_RANGES = ((0x00C0, 0x024F), (0x0370, 0x03FF), (0x0400, 0x052F))


def fold_table(extra: str = "") -> dict[str, str]:
    """fold() per character, for the HTML page: the page folds what a user types by looking
    each character up here (after NFKC), so it applies this rule rather than a second one.

    A character maps to its ASCII letters and digits, "" (a combining accent, a hard sign) or
    " " (punctuation: a word break). anyascii transliterates character by character, so
    folding a text character by character and collapsing spaces equals fold(text). Covers
    FOLD_TABLE_RANGES and every character of `extra` (the page's labels); plain ASCII letters
    and digits are only lower-cased and left out."""
    from anyascii import anyascii

    chars = {chr(c) for lo, hi in FOLD_TABLE_RANGES for c in range(lo, hi + 1)}
    chars |= set(unicodedata.normalize("NFKC", extra))
    table = {}
    for char in sorted(chars):
        if char.isascii() and char.isalnum():
            continue
        table[char] = re.sub(r"[^a-z0-9]+", " ", anyascii(char).lower())
    return table


# How search ranks a label against what was typed (both folded). Lower tier is better;
# within the fuzzy tier a higher similarity is better; ties go by id.
TIER_EXACT, TIER_PREFIX, TIER_SUBSTRING, TIER_WORDS, TIER_FUZZY = range(5)
FUZZY_CUTOFF = 80.0  # rapidfuzz similarity (0-100) a fuzzy match needs
FUZZY_MIN_LENGTH = 4  # typed text shorter than this (folded) only matches exactly or by prefix


@dataclass(frozen=True)
class Hit:
    id: str
    label: str  # the label or alias that matched best
    tier: int
    score: float  # 100 except in the fuzzy tier
    closeness: float  # similarity of the text to the whole label: orders hits of equal score


def match(needle: str, key: str) -> tuple[int, float, float] | None:
    """(tier, score, closeness) of a folded label `key` for the folded text `needle`, or None.

    Tiers: 0 exact; 1 prefix (the label or one of its words starts with the text); 2 the text
    occurs inside the label; 3 the same words in another order, or a subset of them ("eslyamova
    samal" for "samal eslyamova"); 4 fuzzy: the best rapidfuzz similarity of the text to the
    whole label, to the label's words sorted, or to any run of as many consecutive words as
    the text has ("kazakstan" ~ "kazakhstan" 94.7, "dvortsevoi" ~ "sergey dvortsevoy" 90),
    at least FUZZY_CUTOFF. Closeness, the similarity to the whole label, breaks ties in
    every tier: "Kazakstan" ranks Kazakhstan above "National Cinema Day (Kazakhstan)", "kaz"
    Kazakhstan above "Kazakh cinema". The page's search box (viz/templates/page.js) implements exactly
    this, with rapidfuzz's ratio (Indel similarity) written out; keep the two in step."""
    from rapidfuzz import fuzz

    if not needle or not key:
        return None
    closeness = fuzz.ratio(needle, key)
    if key == needle:
        return TIER_EXACT, 100.0, closeness
    if key.startswith(needle) or f" {needle}" in f" {key}":
        return TIER_PREFIX, 100.0, closeness
    if needle in key:
        return TIER_SUBSTRING, 100.0, closeness
    words, typed = key.split(), needle.split()
    if set(typed) <= set(words):
        return TIER_WORDS, 100.0, closeness
    if len(needle) < FUZZY_MIN_LENGTH:
        return None
    score = max(fuzz.ratio(needle, key), fuzz.token_sort_ratio(needle, key))
    n = len(typed)
    for i in range(len(words) - n + 1):
        score = max(score, fuzz.ratio(needle, " ".join(words[i : i + n])))
    return (TIER_FUZZY, score, closeness) if score >= FUZZY_CUTOFF else None


def rank(text: str, candidates: Iterable[tuple[str, Iterable[str]]]) -> list[Hit]:
    """Candidates (id, labels) that match `text`, best first: by tier, then by similarity,
    then by closeness, then by id (see match). Each candidate counts once, with its best-matching label."""
    needle = fold(text)
    if not needle:
        return []
    hits = []
    for candidate_id, labels in candidates:
        best: tuple[tuple[int, float, float], str] | None = None
        for label in labels:
            found = match(needle, fold(label))
            if found is not None and (best is None or _order(found) < _order(best[0])):
                best = (found, label)
        if best is not None:
            (tier, score, closeness), label = best
            hits.append(Hit(candidate_id, label, tier, score, closeness))
    hits.sort(key=lambda h: (*_order((h.tier, h.score, h.closeness)), h.id))
    return hits


def _order(found: tuple[int, float, float]) -> tuple[int, float, float]:
    tier, score, closeness = found
    return tier, -score, -closeness


def best_hits(hits: list[Hit]) -> list[Hit]:
    """The hits a text could mean: one means it names that entity; several, that it is
    ambiguous. Outside the fuzzy tier every hit of the best tier counts ("kaz" is ambiguous
    between Kazakhstan and Kazinform); a typo means the hits of the best similarity and
    closeness ("Kazakstan" means Kazakhstan, not "National Cinema Day (Kazakhstan)")."""
    if not hits:
        return []
    top = hits[0]
    if top.tier == TIER_FUZZY:
        return [h for h in hits if (h.tier, h.score, h.closeness) == (top.tier, top.score, top.closeness)]
    return [h for h in hits if h.tier == top.tier]


def search(registry: Registry, text: str) -> list[tuple[Entity, str]]:
    """Entities with a label or alias that matches the text, best first: exact, then prefix,
    then substring, then the same words in another order, then fuzzy (typos: "Kazakstan",
    "Dvortsevoi") by similarity; ties by id. Case, diacritics and script are folded (fold).

    Returns (entity, the label that matched)."""
    candidates = ((e.id, [label for _lang, label in e.all_labels()]) for e in registry.entities.values())
    return [(registry.entities[h.id], h.label) for h in rank(text, candidates)]


# -- issue 12: background facts with a reference ---------------------------------------------

# What the registry may state without an article: identity and geography.
BACKGROUND_PROPERTIES = ("locatedIn", "country", "type")
URL_PATTERN = re.compile(r"https?://[^\s<>\"{}|\\^`]+")  # checked with fullmatch


@dataclass(frozen=True)
class BackgroundFact:
    """A fact the registry states with a reference instead of an article quote: "Almaty is
    in Kazakhstan" (Wikidata Q35493). Built into graph/background (kg.build)."""

    subject: str  # entity id
    n: int
    property: str  # locatedIn, country, or type (then object is a class name)
    object: str
    wikidata: str | None
    url: str | None
    quote: str | None
    file: str
    line: int


def _background(
    entity: Entity, registry: Registry, ontology: Ontology
) -> tuple[tuple[BackgroundFact, ...], list[Problem]]:
    """Check an entry's `background:` list: each fact a known property, a fitting object and a
    reference ({wikidata: Q...} or {url: ..., quote: ...}); never without one."""
    raw = entity.background_source
    if not raw:
        return (), []
    file = entity.file
    if not isinstance(raw, LineList):
        return (), [Problem(file, entity.line, f"{entity.id} background: a list of facts (- property: ...)")]
    facts: list[BackgroundFact] = []
    problems = Problems()
    for i, item in enumerate(raw):
        line = raw.line_of(i)
        where = f"{entity.id} background"
        if not isinstance(item, LineDict):
            problems.add(file, line, f"{where}: each fact is {{property, object, reference}}")
            continue
        for key in sorted(set(item) - {"property", "object", "reference"}, key=str):
            problems.add(file, item.line_of(key), f"{where}: unknown key {key!r} (property, object, reference)")
        prop, obj = item.get("property"), item.get("object")
        if prop not in BACKGROUND_PROPERTIES:
            problems.add(file, line, f"{where}: property {prop!r} is not one of {', '.join(BACKGROUND_PROPERTIES)}")
            continue
        problems += _background_object(entity, prop, obj, registry, ontology, file, item.line_of("object") or line)
        ref = item.get("reference")
        wikidata = url = quote = None
        if not isinstance(ref, dict) or not ref:
            problems.add(
                file,
                line,
                f"{where}: {prop} {obj} has no reference: give {{wikidata: Q...}} or {{url: ..., quote: ...}}",
            )
        else:
            ref_line = item.line_of("reference")
            wikidata, url, quote = ref.get("wikidata"), ref.get("url"), ref.get("quote")
            if set(ref) - {"wikidata", "url", "quote"}:
                problems.add(file, ref_line, f"{where}: a reference has wikidata, or url and quote")
            if wikidata is not None and (not isinstance(wikidata, str) or not WIKIDATA_PATTERN.fullmatch(wikidata)):
                problems.add(file, ref_line, f"{where}: bad Wikidata id {wikidata!r} (like Q35493)")
            if url is not None and (not isinstance(url, str) or not URL_PATTERN.fullmatch(url)):
                problems.add(file, ref_line, f"{where}: bad URL {url!r}")
            if url is not None and (not isinstance(quote, str) or not quote.strip()):
                problems.add(file, ref_line, f"{where}: a URL reference needs the quote that states the fact")
            if (wikidata is None) == (url is None):
                problems.add(file, ref_line, f"{where}: give one reference, wikidata or url")
        texts = (_text(wikidata), _text(url), _text(quote))  # an id or URL not text is a problem above
        facts.append(BackgroundFact(entity.id, i + 1, prop, str(obj), *texts, file, line))
    return (tuple(facts) if not problems else ()), problems


def _text(value: Yaml) -> str | None:
    return None if value is None else str(value)


def _background_object(
    entity: Entity, prop: str, obj: Yaml, registry: Registry, ontology: Ontology, file: str, line: int
) -> list[Problem]:
    where = f"{entity.id} background"
    if prop == "type":
        if obj not in ontology.classes or (not ontology.is_a(obj, entity.type) and not ontology.is_a(entity.type, obj)):
            return [Problem(file, line, f"{where}: type {obj!r} is not a class that fits a {entity.type}")]
        return []
    target = registry.get(obj) if isinstance(obj, str) else None
    if target is None:
        return [Problem(file, line, f"{where}: unknown entity {obj!r}")]
    definition = ontology.properties[prop]
    if definition.domain and not ontology.is_a(entity.type, definition.domain):
        return [
            Problem(file, line, f"{where}: {prop} applies to a {definition.domain}, but {entity.id} is a {entity.type}")
        ]
    wanted = ontology.range_class(definition)
    if wanted and not ontology.is_a(target.type, wanted):
        return [Problem(file, line, f"{where}: {prop} needs a {wanted}, but {obj} is a {target.type}")]
    return []
