"""A synthetic corpus shaped like the real one, for benchmarks: N article/mapping pairs plus a
registry, deterministic by seed.

    python bench/synth.py --articles 1000 --seed 1 --out /tmp/corpus-1000
    python -m kg --project /tmp/corpus-1000 build --out /tmp/corpus-1000/out

What "shaped like the real ones" means here, measured on the five hand-mapped articles:
- the same mix of fact kinds: about two thirds simple facts (descriptions, occupations, cast,
  production countries, places, years...), a sixth attributed Statement nodes, and the rest
  Participation, Statistic, Distribution, Performance, PositionHeld, Premiere, AwardWin nodes;
  one fact in ten is an editor's judgement (editorial graph); money as MonetaryAmount;
- 1.4 quotes per fact: four articles in ten are bilingual (English, then the same story in
  Russian) and quote every fact twice; the others are Russian only or English only;
- shared entities: every article draws its people, works, countries, festivals from one
  registry with a skewed (Zipf-like) popularity, so Kazakhstan or a famous director appears in
  many articles, and the registry grows more slowly than the corpus;
- every quote is really in the generated text (the build checks it, as for real mappings).
Articles are shorter than the five real ones (12 facts on average against 41), so that the
plain-rdflib baseline still fits in memory at N = 10,000.

Only the standard library is used, so the generator's speed does not depend on kg.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import zlib
from dataclasses import dataclass, field
from pathlib import Path

# Syllables as (Latin, Cyrillic) pairs, so that a generated name has a matching Russian label.
SYLLABLES = [
    ("a", "а"), ("ba", "ба"), ("bek", "бек"), ("da", "да"), ("dar", "дар"), ("gul", "гуль"),
    ("ka", "ка"), ("kan", "кан"), ("ker", "кер"), ("la", "ла"), ("ma", "ма"), ("mir", "мир"),
    ("na", "на"), ("nur", "нур"), ("ra", "ра"), ("sa", "са"), ("san", "сан"), ("ta", "та"),
    ("tal", "тал"), ("ti", "ти"), ("zhan", "жан"), ("zha", "жа"), ("er", "ер"), ("as", "ас"),
    ("ul", "уль"), ("ly", "лы"), ("mu", "му"), ("bo", "бо"), ("ai", "ай"), ("ye", "е"),
]  # fmt: skip
SURNAME_ENDINGS = [("ov", "ов"), ("ev", "ев"), ("bekov", "беков"), ("ayev", "аев"), ("uly", "улы"), ("kyzy", "кызы")]
COUNTRIES = [
    ("kazakhstan", "Kazakhstan", "Казахстан"), ("russia", "Russia", "Россия"), ("china", "China", "Китай"),
    ("germany", "Germany", "Германия"), ("poland", "Poland", "Польша"), ("france", "France", "Франция"),
    ("kyrgyzstan", "Kyrgyzstan", "Киргизия"), ("uzbekistan", "Uzbekistan", "Узбекистан"),
    ("tajikistan", "Tajikistan", "Таджикистан"), ("turkmenistan", "Turkmenistan", "Туркмения"),
    ("turkey", "Turkey", "Турция"), ("iran", "Iran", "Иран"), ("india", "India", "Индия"),
    ("south-korea", "South Korea", "Южная Корея"), ("japan", "Japan", "Япония"), ("italy", "Italy", "Италия"),
    ("spain", "Spain", "Испания"), ("united-states", "United States", "США"), ("mongolia", "Mongolia", "Монголия"),
    ("georgia", "Georgia", "Грузия"), ("armenia", "Armenia", "Армения"), ("azerbaijan", "Azerbaijan", "Азербайджан"),
    ("belarus", "Belarus", "Беларусь"), ("ukraine", "Ukraine", "Украина"), ("estonia", "Estonia", "Эстония"),
    ("latvia", "Latvia", "Латвия"), ("lithuania", "Lithuania", "Литва"), ("finland", "Finland", "Финляндия"),
    ("netherlands", "Netherlands", "Нидерланды"), ("egypt", "Egypt", "Египет"),
]  # fmt: skip
# (English, Russian, concept id of ontology/concepts.ttl)
OCCUPATIONS = [
    ("film director", "режиссёр", "film-director"), ("producer", "продюсер", "film-producer"),
    ("actress", "актриса", "actor"), ("actor", "актёр", "actor"), ("screenwriter", "сценарист", "screenwriter"),
    ("cinematographer", "оператор", "cinematographer"), ("film critic", "кинокритик", "film-critic"),
    ("journalist", "журналист", "journalist"), ("composer", "композитор", "composer"),
]  # fmt: skip
GENRES = [
    ("social drama", "социальная драма"), ("comedy", "комедия"), ("historical drama", "историческая драма"),
    ("documentary", "документальный фильм"), ("thriller", "триллер"), ("animated film", "анимационный фильм"),
    ("melodrama", "мелодрама"), ("road movie", "роуд-муви"),
]  # fmt: skip
ROLES = [
    ("speaker", "спикер", "speaker"),
    ("jury member", "член жюри", "jury-member"),
    ("honoured guest", "почётный гость", "honoured-guest"),
    ("moderator", "модератор", "moderator"),
]
POSITIONS = [
    ("director", "директор", "director"),
    ("chairman", "председатель", "chair"),
    ("general director", "генеральный директор", "general-director"),
]
STATEMENT_KINDS = [
    ("ReadinessToCooperate", "is ready to cooperate in film production with", "готова сотрудничать в кинопроизводстве со страной"),
    ("IntentionToInvest", "intends to invest in films shot in", "намерена инвестировать в фильмы, снятые в стране"),
    ("Interest", "is interested in joint projects with", "заинтересована в совместных проектах со страной"),
    ("Opinion", "has a strong film industry, unlike", "имеет сильную киноиндустрию, в отличие от страны"),
    ("Intention", "will open a film school together with", "откроет киношколу вместе со страной"),
]  # fmt: skip
CURRENCIES = ["EUR", "USD", "KZT", "RUB", "CNY"]


@dataclass
class Entity:
    id: str
    type: str
    en: str
    ru: str


@dataclass
class Registry:
    countries: list[Entity] = field(default_factory=list)
    cities: list[Entity] = field(default_factory=list)
    people: list[Entity] = field(default_factory=list)
    films: list[Entity] = field(default_factory=list)
    series: list[Entity] = field(default_factory=list)
    orgs: list[Entity] = field(default_factory=list)
    festivals: list[Entity] = field(default_factory=list)
    editions: list[Entity] = field(default_factory=list)
    conferences: list[Entity] = field(default_factory=list)
    awards: list[Entity] = field(default_factory=list)

    def all(self) -> list[Entity]:
        return [e for group in vars(self).values() for e in group]


def _word(rng: random.Random, parts: int) -> tuple[str, str]:
    chosen = [rng.choice(SYLLABLES) for _ in range(parts)]
    return "".join(c[0] for c in chosen), "".join(c[1] for c in chosen)


def _cap(pair: tuple[str, str]) -> tuple[str, str]:
    return pair[0][:1].upper() + pair[0][1:], pair[1][:1].upper() + pair[1][1:]


def _slug(text: str) -> str:
    out = []
    for ch in text.lower():
        out.append(ch if ch.isascii() and ch.isalnum() else "-")
    return "-".join(part for part in "".join(out).split("-") if part)


def _fixed_year(entity: str, first: int, last: int) -> int:
    """One year per entity, whichever article states it: year and yearOf take one value, and
    the build refuses two articles that give a work or an event different years."""
    return first + zlib.crc32(entity.encode()) % (last - first + 1)


class _Ids:
    """Unique ids: a second entity with the same slug gets -2, -3..."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def mint(self, kind: str, label: str) -> str:
        base = f"{kind}/{_slug(label)}"
        candidate, n = base, 1
        while candidate in self.seen:
            n += 1
            candidate = f"{base}-{n}"
        self.seen.add(candidate)
        return candidate


def make_registry(rng: random.Random, articles: int) -> Registry:
    """Pools grow with the corpus but more slowly than it: entities are shared across articles."""
    ids = _Ids()
    reg = Registry()
    for slug, en, ru in COUNTRIES:
        ids.seen.add(f"country/{slug}")
        reg.countries.append(Entity(f"country/{slug}", "Country", en, ru))
    for _ in range(max(20, articles // 10)):
        en, ru = _cap(_word(rng, 2))
        reg.cities.append(Entity(ids.mint("city", en), "City", en, ru))
    for _ in range(max(40, articles)):
        first, last = _cap(_word(rng, 2)), _cap(_word(rng, 2))
        end = rng.choice(SURNAME_ENDINGS)
        en, ru = f"{first[0]} {last[0]}{end[0]}", f"{first[1]} {last[1]}{end[1]}"
        reg.people.append(Entity(ids.mint("person", en), "Person", en, ru))
    for _ in range(max(20, articles // 2)):
        en, ru = _cap(_word(rng, rng.randint(2, 3)))
        year = rng.randint(1995, 2026)
        reg.films.append(Entity(ids.mint("film", f"{en} {year}"), "Film", en, ru))
    for _ in range(max(5, articles // 10)):
        en, ru = _cap(_word(rng, 3))
        reg.series.append(Entity(ids.mint("series", en), "TVSeries", f"{en} (series)", f"{ru} (сериал)"))
    org_types = ["ProductionCompany", "FilmStudio", "Broadcaster", "FilmFund", "StreamingService", "GovernmentBody"]
    for _ in range(max(10, articles // 5)):
        en, ru = _cap(_word(rng, 2))
        kind = rng.choice(org_types)
        suffix = {"ProductionCompany": "Pictures", "FilmStudio": "Film", "Broadcaster": "TV", "FilmFund": "Fund"}
        name = f"{en} {suffix.get(kind, 'Media')}"
        reg.orgs.append(Entity(ids.mint("org", name), kind, name, f"{ru} {suffix.get(kind, 'Media')}"))
    for _ in range(max(5, articles // 50)):
        en, ru = _cap(_word(rng, 2))
        fest = Entity(
            ids.mint("festival", f"{en} Film Festival"), "Festival", f"{en} Film Festival", f"Кинофестиваль {ru}"
        )
        reg.festivals.append(fest)
        for number in range(1, rng.randint(2, 6)):
            reg.editions.append(
                Entity(
                    ids.mint("event", f"{en} Film Festival {number}"),
                    "FestivalEdition",
                    f"{number}. {fest.en}",
                    f"{number}-й {fest.ru}",
                )
            )
    for _ in range(max(3, articles // 40)):
        en, ru = _cap(_word(rng, 2))
        year = rng.randint(2015, 2026)
        reg.conferences.append(
            Entity(ids.mint("event", f"{en} Forum {year}"), "Conference", f"{en} Forum {year}", f"Форум {ru} {year}")
        )
    for fest in reg.festivals:
        reg.awards.append(
            Entity(
                ids.mint("award", f"{fest.en} Grand Prix"), "Award", f"Grand Prix of {fest.en}", f"Гран-при: {fest.ru}"
            )
        )
    return reg


def _pick(rng: random.Random, pool: list[Entity]) -> Entity:
    """Zipf-like: low indexes are popular (a famous director, Kazakhstan)."""
    n = len(pool)
    index = min(n - 1, int(n * rng.random() ** 2.5))
    return pool[index]


@dataclass
class Fact:
    yaml: str  # the fact's YAML body, without quote lines
    en: str  # the sentence in English
    ru: str  # the same sentence in Russian
    editorial: str | None = None


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _lang(en: str, ru: str) -> str:
    return "{en: " + _q(en) + ", ru: " + _q(ru) + "}"


def _work(rng: random.Random, reg: Registry) -> Entity:
    return _pick(rng, reg.series) if rng.random() < 0.15 else _pick(rng, reg.films)


def _simple(subject: str, prop: str, obj: str) -> str:
    return f"    subject: {subject}\n    property: {prop}\n    object: {obj}\n"


def _node(node: str, type_: str, props: dict[str, str]) -> str:
    body = "".join(f"      {key}: {value}\n" for key, value in props.items())
    return f"    node: {node}\n    type: {type_}\n    with:\n{body}"


def make_fact(rng: random.Random, reg: Registry, stem: str, n: int) -> Fact:
    """One fact, drawn with the real corpus's mix of kinds."""
    slug = stem.replace("_", "-")
    roll = rng.random()
    p, w, c = _pick(rng, reg.people), _work(rng, reg), _pick(rng, reg.countries)
    if roll < 0.16:
        kind_name, en_verb, ru_verb = rng.choice(STATEMENT_KINDS)
        other = _pick(rng, reg.countries)
        content_en, content_ru = f"{c.en} {en_verb} {other.en}", f"{c.ru} {ru_verb} {other.ru}"
        props = {
            "speaker": p.id,
            "statementKind": kind_name,
            "about": c.id,
            "content": _lang(content_en, content_ru),
            "status": "Announced",
        }
        return Fact(
            _node(f"statement/{slug}-s{n}", "Statement", props),
            f"{p.en} said that {content_en}.",
            f"{p.ru} заявил, что {content_ru}.",
        )
    if roll < 0.20:
        event = _pick(rng, reg.editions + reg.conferences)
        role = rng.choice(ROLES)
        props = {"participationIn": event.id, "participant": p.id, "role": f"role/{role[2]}"}
        return Fact(
            _node(f"participation/{slug}-p{n}", "Participation", props),
            f"{p.en} took part in the {event.en} as a {role[0]}.",
            f"{p.ru} принял участие в мероприятии {event.ru} как {role[1]}.",
        )
    if roll < 0.23:
        value = rng.choice([10, 15, 50, 100]) * rng.randint(1, 99) * 1000
        props = {
            "about": w.id,
            "measure": _lang("viewers", "зрители"),
            "value": str(value),
            "unit": _q("people"),
            "isLowerBound": "true",
        }
        return Fact(
            _node(f"statistic/{slug}-v{n}", "Statistic", props),
            f"More than {value} viewers have watched {w.en}.",
            f"Более {value} зрителей посмотрели «{w.ru}».",
        )
    if roll < 0.255:
        org = _pick(rng, reg.orgs)
        props = {"distributedWork": w.id, "distributor": org.id, "territory": c.id, "status": "Planned"}
        return Fact(
            _node(f"distribution/{slug}-d{n}", "Distribution", props),
            f"{w.en} will be released in {c.en} by {org.en}.",
            f"«{w.ru}» выйдет в прокат в стране {c.ru} силами {org.ru}.",
        )
    if roll < 0.275:
        char_en, char_ru = _cap(_word(rng, 2))
        props = {"performer": p.id, "performanceIn": w.id, "character": _lang(char_en, char_ru)}
        return Fact(
            _node(f"performance/{slug}-r{n}", "Performance", props),
            f"{p.en} plays {char_en} in {w.en}.",
            f"{p.ru} играет роль {char_ru} в картине «{w.ru}».",
        )
    if roll < 0.295:
        org = _pick(rng, reg.orgs)
        title = rng.choice(POSITIONS)
        props = {"holder": p.id, "position": f"position/{title[2]}", "positionIn": org.id}
        return Fact(
            _node(f"position/{slug}-h{n}", "PositionHeld", props),
            f"{p.en} is the {title[0]} of {org.en}.",
            f"{p.ru} — {title[1]} компании {org.ru}.",
        )
    if roll < 0.31:
        edition = _pick(rng, reg.editions)
        year = rng.randint(2024, 2027)
        props = {"screenedWork": w.id, "partOf": edition.id, "status": "Planned", "yearOf": str(year)}
        return Fact(
            _node(f"screening/{slug}-m{n}", "Premiere", props),
            f"The premiere of {w.en} at the {edition.en} is planned for {year}.",
            f"Премьера картины «{w.ru}» на фестивале {edition.ru} запланирована на {year} год.",
        )
    if roll < 0.32:
        fest = _pick(rng, reg.festivals)
        award = reg.awards[reg.festivals.index(fest)]
        props = {"award": award.id, "awardee": p.id, "forWork": w.id}
        return Fact(
            _node(f"award-win/{slug}-a{n}", "AwardWin", props),
            f"{p.en} received the {award.en} for {w.en}.",
            f"{p.ru} получил {award.ru} за картину «{w.ru}».",
        )
    # Simple facts, weighted like the real ones.
    roll = rng.random()
    if roll < 0.18:
        occ = rng.choice(OCCUPATIONS)
        return Fact(
            _simple(p.id, "occupation", f"occupation/{occ[2]}"), f"{p.en} is a {occ[0]}.", f"{p.ru} — {occ[1]}."
        )
    if roll < 0.38:
        genre = rng.choice(GENRES)
        return Fact(
            _simple(w.id, "description", _lang(genre[0], genre[1])),
            f"{w.en} is a {genre[0]}.",
            f"«{w.ru}» — {genre[1]}.",
        )
    if roll < 0.48:
        others = [c]
        if c.id != "country/kazakhstan" and rng.random() < 0.6:
            others.append(reg.countries[0])
        while len(others) < 2 or (len(others) < 4 and rng.random() < 0.3):
            extra = _pick(rng, reg.countries)
            if extra not in others:
                others.append(extra)
        obj = "[" + ", ".join(x.id for x in others) + "]"
        return Fact(
            _simple(w.id, "productionCountry", obj),
            f"{w.en} is a co-production of {', '.join(x.en for x in others)}.",
            f"«{w.ru}» снят совместно: {', '.join(x.ru for x in others)}.",
        )
    if roll < 0.56:
        return Fact(
            _simple(w.id, "castMember", p.id), f"{p.en} stars in {w.en}.", f"{p.ru} снимается в картине «{w.ru}»."
        )
    if roll < 0.62:
        return Fact(
            _simple(w.id, "director", p.id), f"{w.en} was directed by {p.en}.", f"Режиссёр картины «{w.ru}» — {p.ru}."
        )
    if roll < 0.66:
        return Fact(_simple(w.id, "producer", p.id), f"{p.en} produced {w.en}.", f"Продюсер картины «{w.ru}» — {p.ru}.")
    if roll < 0.71:
        city = _pick(rng, reg.cities)
        return Fact(
            _simple(w.id, "filmingLocation", city.id),
            f"{w.en} was filmed in {city.en}.",
            f"Съёмки картины «{w.ru}» прошли в городе {city.ru}.",
        )
    if roll < 0.76:
        return Fact(_simple(p.id, "nationality", c.id), f"{p.en} comes from {c.en}.", f"{p.ru} родом из страны {c.ru}.")
    if roll < 0.81:
        event, city = _pick(rng, reg.editions + reg.conferences), _pick(rng, reg.cities)
        return Fact(
            _simple(event.id, "location", city.id),
            f"The {event.en} was held in {city.en}.",
            f"{event.ru} прошёл в городе {city.ru}.",
        )
    if roll < 0.85:
        event = _pick(rng, reg.editions + reg.conferences)
        rng.randint(2015, 2026)  # kept, so that the rest of the corpus stays as it was
        year = _fixed_year(event.id, 2015, 2026)
        return Fact(
            _simple(event.id, "yearOf", str(year)),
            f"The {event.en} took place that year.",
            f"{event.ru} прошёл в том году.",
            editorial=f"The text says only 'that year'; the article's context dates it to {year}.",
        )
    if roll < 0.88:
        city = _pick(rng, reg.cities)
        return Fact(
            _simple(city.id, "locatedIn", c.id),
            f"{city.en} is a city in {c.en}.",
            f"{city.ru} — город в стране {c.ru}.",
        )
    if roll < 0.91:
        org = _pick(rng, reg.orgs)
        return Fact(
            _simple(w.id, "productionCompany", org.id),
            f"{w.en} was produced by {org.en}.",
            f"Картина «{w.ru}» произведена компанией {org.ru}.",
        )
    if roll < 0.94:
        amount, currency = rng.randint(1, 90) * 100000, rng.choice(CURRENCIES)
        return Fact(
            _simple(w.id, "budget", f"{{amount: {amount}, currency: {currency}}}"),
            f"The budget of {w.en} was {amount} {currency}.",
            f"Бюджет картины «{w.ru}» составил {amount} {currency}.",
        )
    if roll < 0.97:
        fest, org = _pick(rng, reg.festivals), _pick(rng, reg.orgs)
        return Fact(
            _simple(fest.id, "organizer", org.id),
            f"The {fest.en} is organised by {org.en}.",
            f"{fest.ru} организует {org.ru}.",
        )
    rng.randint(1995, 2026)  # kept, so that the rest of the corpus stays as it was
    year = _fixed_year(w.id, 1995, 2026)
    return Fact(
        _simple(w.id, "year", str(year)),
        f"{w.en} came out that year.",
        f"«{w.ru}» вышел в том году.",
        editorial=f"The year {year} is known from the article's context, not stated.",
    )


def make_article(rng: random.Random, reg: Registry, index: int) -> tuple[str, str, str]:
    """(stem, article text, mapping YAML)."""
    stem = f"{index:06d}_synthetic"
    languages = rng.choices([["ru"], ["en"], ["en", "ru"]], weights=[40, 20, 40])[0]
    facts = [make_fact(rng, reg, stem, n) for n in range(1, rng.randint(6, 18) + 1)]
    dated = rng.random() < 0.6
    date = f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    parts = []
    for lang in languages:
        sentences = [getattr(f, lang) for f in facts]
        paragraphs = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
        parts.append("\n\n".join(paragraphs))
    text = (f" date {date} " if dated else "") + "\n\n".join(parts) + "\n"
    lines = [f"article: {stem}.txt", "metadata:", f"  languages: [{', '.join(languages)}]"]
    if dated:
        lines.append(f"  date: {date}")
    lines.append("  notes: Synthetic article for benchmarks.")
    lines += ["", "facts:"]
    for n, fact in enumerate(facts, start=1):
        quotes = [getattr(fact, lang) for lang in languages]
        lines.append(f"  - id: fact-{n}")
        lines.append(fact.yaml.rstrip("\n"))
        if len(quotes) == 1:
            lines.append(f"    quote: {_q(quotes[0])}")
        else:
            lines.append("    quote:")
            lines += [f"      - {_q(q)}" for q in quotes]
        if fact.editorial:
            lines.append(f"    editorial: {_q(fact.editorial)}")
        lines.append("")
    return stem, text, "\n".join(lines)


REGISTRY_FILES = {
    "places.yaml": ("countries", "cities"),
    "people.yaml": ("people",),
    "works.yaml": ("films", "series"),
    "organisations.yaml": ("orgs",),
    "events.yaml": ("festivals", "editions", "conferences"),
    "awards.yaml": ("awards",),
}


def write_corpus(out: Path, articles: int, seed: int = 1) -> Path:
    """Write OUT/seeds/ (articles, mappings, registry). Ontology and queries come from kg's
    bundled corpus. Replaces OUT/seeds if it exists."""
    rng = random.Random(seed)
    reg = make_registry(rng, articles)
    seeds = out / "seeds"
    if seeds.exists():
        shutil.rmtree(seeds)
    (seeds / "registry").mkdir(parents=True)
    for name, groups in REGISTRY_FILES.items():
        entries = ["# Synthetic registry for benchmarks."]
        for group in groups:
            for e in getattr(reg, group):
                entries.append(f"- id: {e.id}\n  type: {e.type}\n  label: {_lang(e.en, e.ru)}\n")
        (seeds / "registry" / name).write_text("\n".join(entries), encoding="utf-8")
    for index in range(articles):
        stem, text, mapping = make_article(rng, reg, index)
        (seeds / f"{stem}.txt").write_text(text, encoding="utf-8")
        (seeds / f"{stem}.yaml").write_text(mapping, encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", "-n", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    write_corpus(args.out, args.articles, args.seed)
    print(f"wrote {args.articles} synthetic articles to {args.out}/seeds")


if __name__ == "__main__":
    main()
