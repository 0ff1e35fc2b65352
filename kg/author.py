"""`kg author`: a local page that edits the very YAML files the build reads.

The author selects words in the article and gets a fact: the quote is the selection itself,
so it cannot differ from the text by one character. Subjects and objects are found with the
registry search of the CLI (kg.registry.rank: the same folding and typo tolerance);
properties and concept ids come from the ontology, filtered by the subject's class; values
get typed inputs. Every candidate is checked by the build's own checker (kg.registry and
kg.mapping on the candidate texts) before anything is written, and written atomically
(kg.atomic) by appending to the file in its own style (kg.yamledit), so comments and
formatting stay. A file changed on disk since the page read it is never overwritten: the
save answers 409 and the page reloads.

The web stack is kg serve's (Flask under waitress), bound to 127.0.0.1. Every request needs
the one-time token printed at start (as Jupyter does); a request from another origin, or to
another Host (DNS rebinding), is refused with 403; the page loads nothing remote and puts
every source text in with textContent.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import secrets
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kg.built import Build, OpenBuild
from kg.corpus import Corpus
from kg.errors import AuthorError, Conflict, InputError, KgError, Problem
from kg.limits import excerpt

TEMPLATES = Path(__file__).resolve().parent / "templates" / "author"
TOKEN_HEADER = "X-Kg-Token"
MAX_BODY = 1024 * 1024  # a fact and a few new entities; nothing an author sends is larger
# Where a new entity of each kind goes when the registry has none of that kind yet.
REGISTRY_FILES = {
    "person": "people.yaml",
    "org": "organisations.yaml",
    "film": "works.yaml",
    "series": "works.yaml",
    "festival": "events.yaml",
    "event": "events.yaml",
    "agreement": "events.yaml",
    "award": "awards.yaml",
    "title": "awards.yaml",
}
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"»”’)]*\s+|\n+")
CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")


# -- the files: versions and texts -----------------------------------------------------------


def version(path: Path) -> str:
    """What the page remembers of a file it read: the hash of its bytes ("" when absent).
    A touch that changes nothing is no conflict; any edit is."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return ""


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8") if path.exists() else ""


@dataclass
class Candidate:
    """The texts a save would write, and what the checker says of them."""

    texts: dict[Path, str]
    problems: list[Problem]  # every problem of the candidate files
    new: list[Problem]  # those the current files do not have: they block the save
    fact_id: str = ""
    notes: list[str] = field(default_factory=list)  # worth knowing, not wrong


ArticlePage = Callable[[Build, str, str], str]
"""(build, article stem, lang) -> the article's `kg viz article` page as HTML."""


@dataclass
class Author:
    """One authoring session over a corpus: reads the sources fresh on every request
    (the author may edit a file by hand beside the page), caches the ontology."""

    corpus: Corpus
    open_build: OpenBuild  # the CLI's: the build made fresh (kg.built), or InputError
    article_page: ArticlePage  # the CLI's: viz's `kg viz article` page (kg never imports viz)
    lock: threading.Lock = field(default_factory=threading.Lock)
    views: dict[str, str] = field(default_factory=dict)  # article stem -> its view, as last built
    _ontology: tuple | None = None

    # -- sources ---------------------------------------------------------------------------

    def ontology(self):
        from kg.ontology import load_ontology

        files = self.corpus.ontology_files()
        key = tuple((str(p), p.stat().st_mtime_ns) for p in files)
        if self._ontology is None or self._ontology[0] != key:
            self._ontology = (key, load_ontology(files, self.corpus.display))
        return self._ontology[1]

    def registry(self, texts: dict[Path, str] | None = None):
        """The registry (with candidate texts in place of some files) and its problems."""
        from kg.registry import load_registry

        files = self.corpus.registry_files()
        texts = texts or {}
        extra = [p for p in texts if p.parent == self.corpus.registry_dir and p not in files]
        with tempfile.TemporaryDirectory(prefix="kg-author-") as tmp:
            paths, shown = [], {}
            for path in sorted([*files, *extra]):
                if path in texts:
                    copy = Path(tmp) / path.name
                    copy.write_text(texts[path], encoding="utf-8")
                    paths.append(copy)
                    shown[copy] = self.corpus.display(path)
                else:
                    paths.append(path)
            return load_registry(paths, self.ontology(), lambda p: shown.get(p) or self.corpus.display(p))

    def article_path(self, name: str) -> Path:
        """The article a request names (its file name or stem): one of the corpus's, nothing else."""
        stem = Path(name).name.removesuffix(".txt").removesuffix(".yaml")
        for path in self.corpus.articles():
            if path.stem == stem:
                return path
        raise AuthorError(f"no article {name!r} in {self.corpus.display(self.corpus.seeds_dir)}")

    def mapping_path(self, article: Path) -> Path:
        return article.with_suffix(".yaml")

    # -- what the page shows ----------------------------------------------------------------

    def articles(self) -> list[dict]:
        return [
            {"name": p.name, "stem": p.stem, "mapped": self.mapping_path(p).exists()} for p in self.corpus.articles()
        ]

    def state(self, name: str, lang: str = "en") -> dict:
        """Everything the page needs for one article: its text cut into pieces (which facts
        quote each, which sentence it is in), the facts as cards, the files' versions and the
        problems the checker finds in them now."""
        from kg.article import load_article

        path = self.article_path(name)
        mapping = self.mapping_path(path)
        article, found = load_article(path, self.corpus.display(path))
        if article is None:
            raise InputError(found)
        registry, registry_problems = self.registry()
        text = _read(mapping)
        cards = _cards(text, self.corpus.display(mapping), article, registry, lang)
        problems = [*registry_problems, *self._mapping_problems(mapping, text, registry)]
        spans = [(q["start"], q["end"], card["n"]) for card in cards for q in card["quotes"] if q["start"] is not None]
        return {
            "article": {"name": path.name, "stem": path.stem, "text": article.text},
            "pieces": pieces(article.text, spans),
            "mapping": {
                "file": self.corpus.display(mapping),
                "exists": mapping.exists(),
                "draft": bool(re.search(r"^draft:\s*true\b", text, re.M)),
            },
            "cards": cards,
            "versions": self.versions(mapping),
            "problems": [str(p) for p in sorted(set(problems))],
            "lang": lang,
        }

    def versions(self, mapping: Path) -> dict[str, str]:
        return {self.corpus.display(p): version(p) for p in [mapping, *self.corpus.registry_files()]}

    def _mapping_problems(self, mapping: Path, text: str, registry, article_text: str | None = None) -> list[Problem]:
        """The build's checker on one mapping text (a draft checked as if it were ready:
        the author is making it ready)."""
        from kg.mapping import Draft, load_mapping

        if not text.strip():
            return []
        text = re.sub(r"^draft:\s*true\b", "draft: false", text, flags=re.M)
        with tempfile.TemporaryDirectory(prefix="kg-author-") as tmp:
            copy = Path(tmp) / mapping.name
            copy.write_text(text, encoding="utf-8")
            data = _read_yaml_quietly(text)
            article_name = data.get("article") if isinstance(data, dict) else None
            if isinstance(article_name, str) and "/" not in article_name and (mapping.parent / article_name).is_file():
                (Path(tmp) / article_name).write_bytes((mapping.parent / article_name).read_bytes())
            shown = self.corpus.display

            def display(p: Path) -> str:
                return shown(mapping.parent / p.name) if Path(tmp) in p.parents else shown(p)

            result, problems = load_mapping(copy, shown(mapping), self.ontology(), registry, display)
            assert not isinstance(result, Draft)
            return problems

    # -- search and terms --------------------------------------------------------------------

    def search(self, text: str, classes: list[str], article: str | None, limit: int = 12) -> list[dict]:
        """Registry entities (and this mapping's nodes) matching `text` the way
        `kg entities search` matches (kg.registry.rank), of one of `classes` when given."""
        from kg.registry import rank

        ontology = self.ontology()
        registry, _problems = self.registry()
        candidates: dict[str, tuple[str, list[str], dict]] = {}
        for entity in registry.entities.values():
            candidates[entity.id] = (entity.type, [label for _lang, label in entity.all_labels()], entity.labels)
        if article:
            for node_id, cls in _declared_nodes(_read(self.mapping_path(self.article_path(article)))).items():
                candidates.setdefault(node_id, (cls, [node_id.replace("/", " ").replace("-", " ")], {}))
        wanted = [c for c in classes if c]
        hits = rank(text, ((i, labels) for i, (cls, labels, _) in candidates.items()))
        out = []
        for hit in hits:
            cls, _labels, labels = candidates[hit.id]
            if wanted and not any(ontology.is_a(cls, c) for c in wanted):
                continue
            out.append({"id": hit.id, "type": cls, "matched": hit.label, "labels": labels})
            if len(out) >= limit:
                break
        return out

    def terms(self) -> dict:
        """The ontology as the form needs it: classes (with the kind a new entity of each
        gets), every property with what it applies to and the input its value needs, the
        concepts of each scheme, the statuses and the ISO 4217 currencies."""
        import pycountry

        from kg.iris import ENTITY_KINDS, NODE_KINDS

        ontology = self.ontology()
        classes = {}
        for name in sorted(ontology.classes):
            kinds = [k for k, base in ENTITY_KINDS.items() if ontology.is_a(name, base)]
            nodes = [k for k, base in NODE_KINDS.items() if ontology.is_a(name, base)]
            classes[name] = {
                "label": ontology.labels.get(name, ""),
                "parents": sorted(ontology.parents.get(name, {name})),
                "kind": kinds[-1] if kinds else None,
                "node": nodes[-1] if nodes else None,
            }
        properties = {
            name: _property_input(ontology, prop)
            for name, prop in sorted(ontology.properties.items(), key=lambda item: item[0].lower())
            if not prop.derived
        }
        concepts: dict[str, list[dict]] = {}
        for concept in sorted(ontology.concepts.values(), key=lambda c: c.id):
            concepts.setdefault(concept.scheme, []).append({"id": concept.id, "labels": concept.labels})
        statuses = sorted(str(v).rsplit("#", 1)[1] for v in ontology.individuals.get("Status", {}).values())
        currencies = sorted((c.alpha_3, c.name) for c in pycountry.currencies)
        return {
            "classes": classes,
            "properties": properties,
            "concepts": concepts,
            "statuses": statuses,
            "currencies": [list(c) for c in currencies],
        }

    # -- checking and saving -----------------------------------------------------------------

    def candidate(self, name: str, payload: dict) -> Candidate:
        """The mapping and registry texts with the new fact and entities added, checked."""
        from kg import yamledit

        path = self.article_path(name)
        mapping = self.mapping_path(path)
        if not mapping.exists():
            raise AuthorError(f"{self.corpus.display(mapping)} does not exist: run kg new {self.corpus.display(path)}")
        before = _read(mapping)
        data = yamledit.load(before, self.corpus.display(mapping))
        if isinstance(data, Problem):
            return Candidate({}, [data], [data])
        if not isinstance(data, dict):
            problem = Problem(self.corpus.display(mapping), 1, "a mapping is a map with article, metadata and facts")
            return Candidate({}, [problem], [problem])
        registry, registry_before = self.registry()
        texts: dict[Path, str] = {}
        shape: list[Problem] = []
        for entity in payload.get("entities") or []:
            target, entry = self._new_entity(entity, registry, shape)
            if entry is not None:
                current = texts.get(target, _read(target))
                loaded = yamledit.load(current, self.corpus.display(target)) if current.strip() else None
                if isinstance(loaded, Problem):
                    shape.append(loaded)
                    continue
                texts[target] = yamledit.append_to_list(current, loaded, None, entry)
        fact_id = _fact_id(payload.get("fact") or {}, data)
        item = fact_item(payload.get("fact") or {}, fact_id, self.corpus.display(mapping), shape)
        if item is None:
            return Candidate({}, shape, shape)
        texts[mapping] = yamledit.append_to_list(before, data, "facts", item)
        new_registry, registry_problems = self.registry(texts)
        after = [*registry_problems, *self._mapping_problems(mapping, texts[mapping], new_registry), *shape]
        current = [*registry_before, *self._mapping_problems(mapping, before, registry)]
        seen = {_known(p) for p in current}
        new = [p for p in after if _known(p) not in seen]
        notes = _occurrence_notes(path, payload.get("fact") or {}, self.corpus.display)
        return Candidate(texts, sorted(set(after)), sorted(set(new)), fact_id, notes)

    def new_id(self, kind: str, label: str) -> dict:
        """The id a new entity of `kind` named `label` gets (the registry's slug scheme), the
        language its label is likely in, and the entities it might be a twin of."""
        from kg.iris import ENTITY_KINDS, slugify

        if kind not in ENTITY_KINDS:
            raise AuthorError(f"unknown kind {kind!r} (one of {', '.join(ENTITY_KINDS)})")
        slug = slugify(label)
        return {
            "id": f"{kind}/{slug}" if slug else "",
            "lang": label_language(label),
            "type": ENTITY_KINDS[kind],
            "twins": self.search(label, [ENTITY_KINDS[kind]], None, limit=3) if slug else [],
        }

    def _new_entity(self, entity: dict, registry, problems: list[Problem]):
        """A new registry entry from the page: id from its label, its type, its label in one
        language (as the article writes it, unless marked as the editor's)."""
        from ruamel.yaml.comments import CommentedMap

        from kg import yamledit
        from kg.iris import ENTITY_KINDS, slugify

        ontology = self.ontology()
        label = " ".join(str(entity.get("label") or "").split())
        lang = str(entity.get("lang") or "")
        cls = str(entity.get("type") or "")
        entity_id = str(entity.get("id") or "")
        kind = entity_id.split("/", 1)[0] if "/" in entity_id else ""
        where = "new entity"
        if not label:
            problems.append(Problem(where, 0, "a new entity needs a label: select its name in the article"))
            return None, None
        if kind not in ENTITY_KINDS:
            problems.append(Problem(where, 0, f"{label}: choose what it is (one of {', '.join(ENTITY_KINDS)})"))
            return None, None
        if not entity_id or entity_id != f"{kind}/{slugify(entity_id.split('/', 1)[1])}":
            problems.append(Problem(where, 0, f"{entity_id!r}: an id is kind/slug, like person/akan-sataev"))
            return None, None
        if entity_id in registry.entities:
            problems.append(Problem(where, 0, f"{entity_id} is already in the registry: choose it instead"))
            return None, None
        if cls not in ontology.classes or not ontology.is_a(cls, ENTITY_KINDS[kind]):
            cls = ENTITY_KINDS[kind]
        item = CommentedMap()
        item["id"] = entity_id
        item["type"] = cls
        item["label"] = yamledit.flow({lang: label})
        if entity.get("editor"):
            item["editor"] = yamledit.flow([lang])
        files = sorted(
            {registry.entities[e].file for e in registry.entities if e.startswith(kind + "/")},
            key=lambda f: -sum(1 for e in registry.entities.values() if e.file == f and e.kind == kind),
        )
        by_display = {self.corpus.display(p): p for p in self.corpus.registry_files()}
        target = by_display.get(files[0]) if files else None
        if target is None:
            name = REGISTRY_FILES.get(kind, "places.yaml" if ontology.is_a(cls, "Place") else f"{kind}.yaml")
            target = self.corpus.registry_dir / name
        return target, item

    def save(self, name: str, payload: dict) -> dict:
        """Check, then write the candidate files atomically; refuse (Conflict) when a file
        changed on disk since the page read it."""
        from kg.atomic import write_files

        with self.lock:
            path = self.article_path(name)
            sent = payload.get("versions") or {}
            files = [self.mapping_path(path), *self.corpus.registry_files()]
            changed = [
                self.corpus.display(p) for p in files if sent.get(self.corpus.display(p), version(p)) != version(p)
            ]
            if self.corpus.display(files[0]) not in sent:
                raise AuthorError("send the versions of the files the page read")
            if changed:
                raise Conflict(
                    f"{', '.join(changed)} changed on disk since this page read it: "
                    "nothing was written; the page shows the file as it is now"
                )
            candidate = self.candidate(name, payload)
            if candidate.new:
                return {"saved": False, "problems": [str(p) for p in candidate.new]}
            write_files({p: t.encode("utf-8") for p, t in candidate.texts.items()})
        return {
            "saved": True,
            "fact": candidate.fact_id,
            "files": sorted(self.corpus.display(p) for p in candidate.texts),
            "notes": candidate.notes,
        }

    def ready(self, name: str, versions: dict) -> dict:
        """Delete a draft's `draft: true` line, when the checker finds no problem in it as a
        ready mapping: from then on the build includes it."""
        from kg.atomic import write_file

        with self.lock:
            mapping = self.mapping_path(self.article_path(name))
            shown = self.corpus.display(mapping)
            if versions.get(shown) != version(mapping):
                raise Conflict(f"{shown} changed on disk since this page read it: nothing was written")
            text = _read(mapping)
            registry, _ = self.registry()
            problems = self._mapping_problems(mapping, text, registry)
            if problems:
                return {"ready": False, "problems": [str(p) for p in sorted(set(problems))]}
            ready = re.sub(r"^draft:\s*true\b.*\n?", "", text, count=1, flags=re.M)
            if ready != text:
                write_file(mapping, ready.encode("utf-8"))
        return {"ready": True, "problems": []}

    # -- build and show -------------------------------------------------------------------------

    def build_and_show(self, name: str, lang: str = "en") -> dict:
        """Build the corpus (under the build lock) and show this article's facts as kg show
        shows them, one page per entity its facts are about; keep its `kg viz article` view."""
        from kg.iris import entity_iri
        from kg.query import _oxigraph, open_store
        from kg.show import collect, render_text

        path = self.article_path(name)
        try:
            built = self.open_build()
        except InputError as exc:
            return {"built": False, "problems": [str(p) for p in exc.problems]}
        store = _oxigraph(open_store(built))
        registry, _ = self.registry()
        subjects = _subjects(_read(self.mapping_path(path)), registry)
        pages = []
        for subject in subjects:
            page = collect(store, str(entity_iri(subject)), lang if lang in ("en", "ru", "kk") else "en")
            page.facts = [f for f in page.facts if _cites(f, f"article/{path.stem}")]
            if page.facts:
                pages.append({"id": subject, "text": render_text(page)})
        self.views[path.stem] = self.article_page(built, path.stem, "ru" if lang == "ru" else "en")
        return {"built": True, "pages": pages, "view": f"/view/{path.stem}"}


def _occurrence_notes(article_path: Path, fact: dict, display) -> list[str]:
    """A quote is located by its first occurrence (the mapping holds words, not offsets):
    when the author selected a later one, say so, so a longer quote can pin it."""
    from kg.article import load_article

    quotes, starts = fact.get("quotes") or [], fact.get("starts") or []
    if not isinstance(starts, list) or not any(isinstance(s, int) for s in starts):
        return []
    article, _ = load_article(article_path, display(article_path))
    notes = []
    for quote, start in zip(quotes, starts, strict=False):
        found = article.find(quote) if article and isinstance(quote, str) else None
        if found is not None and isinstance(start, int) and found.start != start:
            line = article.text.count("\n", 0, found.start) + 1
            notes.append(
                f"the words {excerpt(quote, 60)} occur earlier, on line {line}: the build cites that first "
                "occurrence (select more words to cite the one you chose)"
            )
    return notes


def _known(problem: Problem) -> tuple[str, str]:
    """A problem as the files already had it: lines shift and a did-you-mean may change as
    facts are added, the problem stays the same one."""
    return problem.file, re.sub(r" \(did you mean [^()]*\?\)$", "", problem.message)


def _cites(fact, article: str) -> bool:
    return any(e.article == article for e in fact.evidence) or any(_cites(f, article) for f in fact.node_facts)


def _read_yaml_quietly(text: str):
    from kg import yamledit

    data = yamledit.load(text, "")
    return data if isinstance(data, dict) else None


def _declared_nodes(text: str) -> dict[str, str]:
    data = _read_yaml_quietly(text) if text.strip() else None
    facts = data.get("facts") if data else None
    out = {}
    for item in facts if isinstance(facts, list) else []:
        if isinstance(item, dict) and isinstance(item.get("node"), str) and isinstance(item.get("type"), str):
            out[item["node"]] = item["type"]
    return out


def _subjects(text: str, registry) -> list[str]:
    """The registry entities this mapping's facts are about: each simple fact's subject and
    each entity a node names."""
    data = _read_yaml_quietly(text) if text.strip() else None
    facts = data.get("facts") if data else None
    found: list[str] = []
    for item in facts if isinstance(facts, list) else []:
        if not isinstance(item, dict):
            continue
        values = [item.get("subject")]
        if isinstance(item.get("with"), dict):
            values += [v for value in item["with"].values() for v in (value if isinstance(value, list) else [value])]
        found += [v for v in values if isinstance(v, str) and v in registry.entities]
    return list(dict.fromkeys(found))


def _fact_id(fact: dict, data) -> str:
    """A fact id unique in the mapping: the one asked for, else property (or node kind) and a number."""
    from kg.iris import slugify

    taken = {str(f.get("id")) for f in (data.get("facts") or []) if isinstance(f, dict) and f.get("id")}
    asked = slugify(str(fact.get("id") or ""))
    if asked:  # taken already: the checker says so, with both lines
        return asked
    base = slugify(str(fact.get("property") or fact.get("type") or "fact")) or "fact"
    n = 1
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _value(raw, where: str, problems: list[Problem]):
    """A value from a typed input -> what the YAML holds: an entity or concept id, a plain
    date, a number, {amount, currency}, {lang: text}, {concept, qualifier}."""
    from kg import yamledit

    if not isinstance(raw, dict) or "kind" not in raw:
        problems.append(Problem(where, 0, "give a value"))
        return None
    kind, value = raw["kind"], raw.get("value")
    if kind in ("entity", "choice", "string", "language"):
        if not isinstance(value, str) or not value.strip():
            problems.append(Problem(where, 0, "give a value"))
            return None
        return value.strip()
    if kind == "concept":
        if not isinstance(value, str) or not value:
            problems.append(Problem(where, 0, "choose a concept"))
            return None
        qualifier = raw.get("qualifier")
        if isinstance(qualifier, dict) and any(str(t).strip() for t in qualifier.values()):
            return yamledit.flow({"concept": value, "qualifier": {k: str(t).strip() for k, t in qualifier.items()}})
        return value
    if kind == "date":
        text = str(value or "").strip()
        return yamledit.PlainDate(text) if yamledit.DATE.fullmatch(text) else text
    if kind in ("year", "integer"):
        text = str(value or "").strip()
        return int(text) if re.fullmatch(r"[0-9]{1,30}", text) else text
    if kind == "decimal":
        return _number(value)
    if kind == "boolean":
        return bool(value)
    if kind == "amount":
        return yamledit.flow({"amount": _number(raw.get("amount")), "currency": str(raw.get("currency") or "")})
    if kind == "text":
        texts = value if isinstance(value, dict) else {}
        texts = {str(k): " ".join(str(t).split()) for k, t in texts.items() if str(t).strip()}
        if not texts:
            problems.append(Problem(where, 0, "write the text, in its language"))
            return None
        return yamledit.flow(texts)
    problems.append(Problem(where, 0, f"unknown kind of value {kind!r}"))
    return None


def _number(value):
    text = str(value if value is not None else "").strip()
    if re.fullmatch(r"-?[0-9]{1,30}", text):
        return int(text)
    try:
        number = float(text)
    except ValueError:
        return text
    return number if repr(number) == text else text


def fact_item(fact: dict, fact_id: str, display: str, problems: list[Problem]):
    """The YAML item of one fact from the page's form: simple (subject, property, object)
    or n-ary (node, type, with), its quotes exactly as selected, status and editorial reason."""
    from ruamel.yaml.comments import CommentedMap

    item = CommentedMap()
    item["id"] = fact_id
    where = f"{display} (new fact)"
    before = len(problems)
    if fact.get("node"):
        item["node"] = str(fact["node"])
        item["type"] = str(fact.get("type") or "")
        with_ = CommentedMap()
        for row in fact.get("with") or []:
            name = str(row.get("property") or "") if isinstance(row, dict) else ""
            if not name:
                continue
            value = _value(row.get("value"), f"{where} {name}", problems)
            if value is None:
                continue
            if name in with_:  # two rows of one property: a list, as the YAML writes it
                previous = with_[name]
                with_[name] = [*(previous if isinstance(previous, list) else [previous]), value]
            else:
                with_[name] = value
        if not with_:
            problems.append(Problem(where, 0, "an n-ary fact needs its properties"))
        item["with"] = with_
    else:
        for key in ("subject", "property"):
            if not str(fact.get(key) or "").strip():
                problems.append(Problem(where, 0, f"choose the {key}"))
        item["subject"] = str(fact.get("subject") or "").strip()
        item["property"] = str(fact.get("property") or "").strip()
        value = _value(fact.get("object"), f"{where} object", problems)
        item["object"] = value
    quotes = [q for q in fact.get("quotes") or [] if isinstance(q, str) and q.strip()]
    if not quotes:
        problems.append(Problem(where, 0, "select the words of the article that state the fact"))
    item["quote"] = quotes[0] if len(quotes) == 1 else list(quotes)
    status = str(fact.get("status") or "")
    if status and status != "Done":
        item["status"] = status
    editorial = " ".join(str(fact.get("editorial") or "").split())
    if editorial:
        item["editorial"] = editorial
    return None if len(problems) > before else item


def _property_input(ontology, prop) -> dict:
    """What input a value of this property needs, in the checker's own order (kg.mapping)."""
    from rdflib import RDF, XSD

    out = {
        "label": prop.label_en,
        "comment": prop.comment_en,
        "domains": list(prop.domains) or ([prop.domain] if prop.domain else []),
        "functional": prop.functional,
    }
    range_class = ontology.range_class(prop)
    if prop.scheme:
        return {**out, "kind": "concept", "scheme": prop.scheme}
    if prop.is_object and prop.ranges:
        return {**out, "kind": "entity", "classes": list(prop.ranges)}
    if prop.is_object and range_class == "MonetaryAmount":
        return {**out, "kind": "amount"}
    if prop.is_object and range_class in ontology.individuals:
        names = sorted(str(v).rsplit("#", 1)[1] for v in ontology.individuals[range_class].values())
        return {**out, "kind": "choice", "choices": names}
    if prop.is_object:
        return {**out, "kind": "entity", "classes": [range_class] if range_class else []}
    kinds = {
        RDF.langString: "text",
        XSD.date: "date",
        XSD.gYear: "year",
        XSD.integer: "integer",
        XSD.decimal: "decimal",
        XSD.boolean: "boolean",
        XSD.language: "language",
    }
    return {**out, "kind": kinds.get(prop.range, "string")}


# -- the article as pieces ----------------------------------------------------------------------


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: cut after . ! ? … and at line breaks; blank runs skipped."""
    out, start = [], 0
    for match in SENTENCE_END.finditer(text):
        if text[start : match.start()].strip():
            out.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return out


def pieces(text: str, spans: list[tuple[int, int, int]]) -> list[dict]:
    """The text cut at every sentence and quote boundary. Each piece: its start (a code point
    offset in the text as received), its text, the cards whose quotes cover it, and its
    sentence, with whether any quote touches that sentence."""
    bounds = sentences(text)
    cuts = {0, len(text)}
    for a, b in bounds:
        cuts |= {a, b}
    for a, b, _ in spans:
        cuts |= {a, b}
    cited = [any(a < e and s < b for s, e, _ in spans) for a, b in bounds]
    ordered = sorted(cuts)
    out = []
    sentence = 0
    for a, b in itertools.pairwise(ordered):
        while sentence < len(bounds) and bounds[sentence][1] <= a:
            sentence += 1
        inside = sentence < len(bounds) and bounds[sentence][0] <= a < bounds[sentence][1]
        out.append(
            {
                "start": a,
                "text": text[a:b],
                "cards": sorted({n for s, e, n in spans if s <= a and b <= e}),
                "sentence": sentence if inside else None,
                "cited": cited[sentence] if inside else True,
            }
        )
    return out


def _cards(text: str, display: str, article, registry, lang: str) -> list[dict]:
    """The mapping's facts as the page shows them (read from the YAML as it is, so a broken
    fact still shows), each with its quotes located in the article."""
    from kg.yamlfile import LineDict, LineList, _FastLoader, _load

    if not text.strip():
        return []
    try:
        data, _ = _load(_FastLoader, text, display)
    except Exception:  # a broken file: the problems list says why
        return []
    facts = data.get("facts") if isinstance(data, LineDict) else None
    if not isinstance(facts, LineList):
        return []
    cards = []
    for n, item in enumerate(facts):
        if not isinstance(item, LineDict):
            continue
        raw = item.get("quote")
        quotes = []
        for quote in raw if isinstance(raw, list) else [raw]:
            if not isinstance(quote, str):
                continue
            found = article.find(quote)
            quotes.append({"text": quote, "start": found.start if found else None, "end": found.end if found else None})
        rows = []
        if "node" in item:
            head = {"node": str(item.get("node")), "type": str(item.get("type"))}
            with_ = item.get("with")
            for key, value in with_.items() if isinstance(with_, dict) else []:
                rows.append({"property": str(key), "value": _shown(value, registry, lang)})
        else:
            head = {
                "subject": _shown(item.get("subject"), registry, lang),
                "property": str(item.get("property")),
            }
            rows.append({"property": str(item.get("property")), "value": _shown(item.get("object"), registry, lang)})
        cards.append(
            {
                "n": n,
                "id": str(item.get("id") or f"f{n + 1}"),
                "line": item.line,
                **head,
                "rows": rows,
                "status": str(item.get("status") or "Done"),
                "editorial": str(item.get("editorial") or ""),
                "quotes": quotes,
            }
        )
    return cards


def _shown(value, registry, lang: str) -> str:
    """A value as a card shows it: an entity with its label in the page's language."""
    if isinstance(value, list):
        return "; ".join(_shown(v, registry, lang) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_shown(v, registry, lang)}" for k, v in value.items())
    if isinstance(value, str) and (entity := registry.get(value)) is not None:
        labels = entity.labels
        label = labels.get(lang) or next(iter(labels.values()), value)
        return f"{label} ({value})"
    return str(value)


def label_language(text: str) -> str:
    """The language a selected name is most likely written in: by its script."""
    return "ru" if CYRILLIC.search(text) else "en"


# -- the web app ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuthorConfig:
    host: str = "127.0.0.1"
    port: int = 0
    article: str | None = None  # the stem the page opens first
    lang: str = "en"
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))


def _page(config: AuthorConfig, nonce: str) -> str:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
    )
    return env.get_template("page.html").render(
        nonce=nonce,
        script=(TEMPLATES / "author.js").read_text(encoding="utf-8"),
        style=(TEMPLATES / "author.css").read_text(encoding="utf-8"),
        boot=json.dumps({"article": config.article, "lang": config.lang}).replace("<", "\\u003c"),
    )


def create_app(author: Author, config: AuthorConfig, port: int):
    """The Flask app. Every request: Host one of this server's loopback names (DNS
    rebinding), no foreign Origin (another site's page), the token (as a query parameter
    for the page, a header for the API). Answers 403 otherwise."""
    from flask import Flask, Response, request
    from werkzeug.exceptions import HTTPException

    from kg.serve import LOOPBACK_NAMES, HostGuard

    app = Flask("kg.author")
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    app.config["KG_PORT"] = port  # serve() sets the port the system chose for --port 0

    def plain(status: int, message: str) -> Response:
        return Response(message + "\n", status=status, content_type="text/plain; charset=utf-8")

    def answer(data, status: int = 200) -> Response:
        body = json.dumps(data, ensure_ascii=False, sort_keys=True)
        return Response(body, status=status, content_type="application/json; charset=utf-8")

    @app.before_request
    def guard():
        port = app.config["KG_PORT"]
        hosts = HostGuard(frozenset(f"{name}:{port}" for name in LOOPBACK_NAMES), frozenset())
        origins = {f"http://{name}:{port}" for name in LOOPBACK_NAMES}
        host = request.headers.get("Host", "")
        if not hosts.allows(host):
            return plain(403, hosts.refusal(host).replace("kg serve", "kg author"))
        origin = request.headers.get("Origin")
        if origin is not None and origin not in origins:
            return plain(403, f"refused: a request from another origin ({origin[:80]})")
        if request.headers.get("Sec-Fetch-Site") == "cross-site":
            return plain(403, "refused: a request from another site")
        given = request.headers.get(TOKEN_HEADER) or request.args.get("token") or ""
        if not hmac.compare_digest(given.encode(), config.token.encode()):
            return plain(403, "refused: open the address kg author printed, with its ?token=")
        if request.method == "POST" and request.mimetype != "application/json":
            return plain(415, "refused: the API takes JSON")
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return answer({"error": f"{exc.code} {exc.name}"}, exc.code or 500)

    @app.errorhandler(KgError)
    def kg_error(exc: KgError):
        if isinstance(exc, InputError):
            return answer({"error": "problems", "problems": [str(p) for p in exc.problems]}, 422)
        return answer({"error": str(exc)}, exc.http_status)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        """A bug: one line on the terminal and in the page, never a traceback."""
        import sys

        if isinstance(exc, HTTPException):
            return http_error(exc)
        line = f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
        print(f"kg author: internal error on {request.path}: {line}", file=sys.stderr)
        return answer({"error": f"internal error: {line}"}, 500)

    @app.errorhandler(OSError)
    def os_error(exc: OSError):
        from kg.errors import FileError

        return answer({"error": str(FileError.from_os_error(exc))}, 500)

    @app.route("/")
    def index():
        nonce = secrets.token_urlsafe(16)
        response = Response(_page(config, nonce), content_type="text/html; charset=utf-8")
        response.headers["Content-Security-Policy"] = (
            f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
            "connect-src 'self'; frame-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'none'"
        )
        return response

    @app.route("/api/articles")
    def articles():
        return answer({"articles": author.articles(), "first": config.article})

    @app.route("/api/state")
    def state():
        return answer(author.state(request.args.get("article", ""), request.args.get("lang", config.lang)))

    @app.route("/api/search")
    def search():
        classes = [c for c in request.args.get("classes", "").split(",") if c]
        hits = author.search(request.args.get("q", ""), classes, request.args.get("article") or None)
        return answer({"hits": hits})

    @app.route("/api/new-id")
    def new_id():
        return answer(author.new_id(request.args.get("kind", ""), request.args.get("label", "")))

    @app.route("/api/terms")
    def terms():
        return answer(author.terms())

    @app.route("/api/check", methods=["POST"])
    def check():
        payload = request.get_json(silent=True)
        if not isinstance(payload, dict):
            return answer({"error": "send the fact as a JSON object"}, 400)
        candidate = author.candidate(str(payload.get("article") or ""), payload)
        return answer(
            {"problems": [str(p) for p in candidate.new], "fact": candidate.fact_id, "notes": candidate.notes}
        )

    @app.route("/api/save", methods=["POST"])
    def save():
        payload = request.get_json(silent=True)
        if not isinstance(payload, dict):
            return answer({"error": "send the fact as a JSON object"}, 400)
        result = author.save(str(payload.get("article") or ""), payload)
        return answer(result, 200 if result["saved"] else 422)

    @app.route("/api/ready", methods=["POST"])
    def ready():
        payload = request.get_json(silent=True) or {}
        result = author.ready(str(payload.get("article") or ""), payload.get("versions") or {})
        return answer(result, 200 if result["ready"] else 422)

    @app.route("/api/build", methods=["POST"])
    def build_and_show():
        payload = request.get_json(silent=True) or {}
        with author.lock:
            result = author.build_and_show(str(payload.get("article") or ""), str(payload.get("lang") or "en"))
        return answer(result)

    @app.route("/view/<stem>")
    def view(stem: str):
        html = author.views.get(author.article_path(stem).stem)
        if html is None:
            return plain(404, "no view yet: press Build and show")
        response = Response(html.encode("utf-8"), content_type="text/html; charset=utf-8")
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers["Content-Security-Policy"] = "frame-ancestors 'self'; connect-src 'none'"
        return response

    return app


def serve(author: Author, config: AuthorConfig, announce=print, opened=None) -> None:
    """Serve until Ctrl-C or SIGTERM; announce the address with its token first."""
    import signal

    from waitress import create_server

    app = create_app(author, config, config.port)
    server = create_server(
        app,
        host=config.host,
        port=config.port,
        threads=4,
        max_request_body_size=MAX_BODY,
    )
    port = getattr(server, "effective_port", config.port)
    app.config["KG_PORT"] = port  # --port 0: the guards name the port the system chose
    url = f"http://{config.host}:{port}/?token={config.token}"
    announce(f"kg author: editing {author.corpus.display(author.corpus.seeds_dir)} at {url}")
    announce("Ctrl-C stops it.")
    if opened is not None:
        opened(url)

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
