"""The vocabulary in one module (kg.vocab) and the IRI helpers beside it (kg.iris); the
thread runner of kg.limits; the source index's term keys (kg.sources)."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import BNode, Graph, Literal, URIRef

import kg.vocab
from kg.iris import CAFO, ID, PREFIXES, cafo_name, local_name, prefixed_name, short_id
from kg.limits import TimeLimitExceeded, call_with_deadline, call_with_timeout
from kg.sources import short, term_key

ROOT = Path(__file__).resolve().parent.parent
CONSTANTS = {name: value for name, value in vars(kg.vocab).items() if re.fullmatch(r"[A-Z]+(_[A-Z0-9]+)+", name)}
TERMS = {name: value for name, value in CONSTANTS.items() if isinstance(value, URIRef)}


def test_the_constants_are_the_w3c_and_project_iris():
    assert TERMS["RDF_TYPE"] == URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    assert TERMS["RDFS_LABEL"] == URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    assert TERMS["SKOS_ALT_LABEL"] == URIRef("http://www.w3.org/2004/02/skos/core#altLabel")
    assert TERMS["SKOS_EDITORIAL_NOTE"] == URIRef("http://www.w3.org/2004/02/skos/core#editorialNote")
    assert TERMS["DCTERMS_SOURCE"] == URIRef("http://purl.org/dc/terms/source")
    assert TERMS["OWL_SAME_AS"] == URIRef("http://www.w3.org/2002/07/owl#sameAs")
    assert TERMS["XSD_STRING"] == URIRef("http://www.w3.org/2001/XMLSchema#string")
    assert TERMS["OA_HAS_BODY"] == URIRef("http://www.w3.org/ns/oa#hasBody")
    assert TERMS["OA_TEXT_QUOTE_SELECTOR"] == URIRef("http://www.w3.org/ns/oa#TextQuoteSelector")
    assert TERMS["PROV_WAS_DERIVED_FROM"] == URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
    assert TERMS["SCHEMA_NEWS_ARTICLE"] == URIRef("https://schema.org/NewsArticle")
    assert TERMS["SH_RESULT_SEVERITY"] == URIRef("http://www.w3.org/ns/shacl#resultSeverity")
    assert TERMS["VOID_DATASET"] == URIRef("http://rdfs.org/ns/void#Dataset")
    assert TERMS["DCAT_DATASET"] == URIRef("http://www.w3.org/ns/dcat#Dataset")
    assert TERMS["CAFO_DONE"] == URIRef("https://w3id.org/ca-film/ontology#Done")
    # plain URIRef; a URIRef never equals plain text, so text is compared with str(term)
    assert all(type(term) is URIRef for term in TERMS.values())
    assert pyoxigraph.NamedNode(TERMS["RDF_TYPE"]).value == str(TERMS["RDF_TYPE"])
    assert pyoxigraph.NamedNode(TERMS["RDF_TYPE"]).value != TERMS["RDF_TYPE"]


def test_each_constant_is_named_after_its_term():
    """PREFIX_TERM with camelCase split by '_': a reader can guess the name of any term."""
    namespaces = {prefix.upper(): ns for prefix, ns in kg.vocab.NAMESPACES.items()}
    namespaces |= {"SH": str(kg.vocab.SH), "DCAT": str(kg.vocab.DCAT)}
    for name, term in TERMS.items():
        prefix, _ = name.split("_", 1)
        assert term.startswith(namespaces[prefix]), name
        local = term[len(namespaces[prefix]) :]
        assert name == prefix + "_" + re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", local).upper(), (name, term)


def test_every_project_term_is_declared_by_the_ontology():
    ontology = Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        ontology.parse(path, format="turtle")
    declared = set(ontology.subjects())
    cafo = {name: term for name, term in TERMS.items() if name.startswith("CAFO_")}
    assert cafo  # the terms the code names
    assert sorted(name for name, term in cafo.items() if term not in declared) == []


def test_the_prefix_table_keeps_its_namespaces_and_order():
    assert list(PREFIXES)[:12] == [
        "cafo",
        "schema",
        "oa",
        "prov",
        "wd",
        "owl",
        "rdf",
        "rdfs",
        "xsd",
        "skos",
        "dcterms",
        "void",
    ]
    assert PREFIXES["rdf"] == "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    assert PREFIXES["dcterms"] == "http://purl.org/dc/terms/"
    assert PREFIXES["cafo"] == "https://w3id.org/ca-film/ontology#"
    assert PREFIXES["person"] == "https://w3id.org/ca-film/id/person/"
    assert kg.vocab.sparql_prefixes("rdfs", "skos") == (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    )


@pytest.mark.parametrize(
    "module",
    ["iris", "sources", "ontology", "mapping", "registry", "labels", "entail", "serialize", "yamlfile", "article"],
)
def test_typed_modules_spell_no_vocabulary_iri(module):
    """The terms come from kg.vocab: no module of these spells out a W3C or DC IRI again."""
    text = (ROOT / "kg" / f"{module}.py").read_text(encoding="utf-8")
    assert re.findall(r"http://(?:www\.w3\.org|purl\.org)[^\s\"']*", text) == []


def test_iri_helpers_give_the_short_forms_users_see():
    assert local_name("https://w3id.org/ca-film/ontology#Planned") == "Planned"
    assert local_name("http://www.w3.org/2000/01/rdf-schema#label") == "label"
    assert local_name("https://w3id.org/ca-film/concept/occupation/actor") == "actor"
    assert cafo_name(CAFO.Film) == "Film"
    assert cafo_name(URIRef(ID + "film/ayka-2018")) is None
    assert cafo_name(Literal(str(CAFO.Film))) is None  # text that looks like a term is no term
    assert short_id(ID + "person/samal-yeslyamova") == "person/samal-yeslyamova"
    assert short_id("https://schema.org/Movie") == "https://schema.org/Movie"
    assert prefixed_name("http://www.w3.org/2004/02/skos/core#altLabel") == "skos:altLabel"
    assert prefixed_name(ID + "country/kazakhstan") == "country:kazakhstan"  # the longest namespace wins
    assert prefixed_name("https://example.org/x") is None
    assert prefixed_name(str(kg.vocab.XSD_DATE), {"xsd": str(kg.vocab.XSD)}) == "xsd:date"


def test_source_keys_meet_across_rdflib_and_oxigraph():
    iri = "https://w3id.org/ca-film/id/country/kazakhstan"
    assert term_key(URIRef(iri)) == term_key(pyoxigraph.NamedNode(iri)) == term_key(iri) == ("iri", iri, "")
    assert term_key(Literal("Айка", lang="RU")) == term_key(pyoxigraph.Literal("Айка", language="ru"))
    assert term_key(Literal("Айка", lang="ru")) == ("literal", "Айка", "@ru")
    # xsd:string is dropped: a plain literal and an xsd:string one are the same value
    assert term_key(Literal("x")) == term_key(pyoxigraph.Literal("x")) == ("literal", "x", "")
    year = pyoxigraph.Literal("2018", datatype=pyoxigraph.NamedNode(str(kg.vocab.XSD_G_YEAR)))
    assert term_key(year) == ("literal", "2018", str(kg.vocab.XSD_G_YEAR))
    assert term_key(BNode("b0")) == term_key(pyoxigraph.BlankNode("b0")) == ("blank", "b0", "")
    assert short(URIRef(iri)) == "country/kazakhstan"
    assert short(kg.vocab.SKOS_ALT_LABEL) == "skos:altLabel"
    assert short(Literal("Айка", lang="ru")) == "Айка"


def test_call_with_deadline_answers_raises_and_stops():
    assert call_with_deadline(lambda a, b: a + b, (2, 3), 5.0, lambda: TimeLimitExceeded("late")) == 5

    def fails() -> None:
        raise ValueError("the worker's own error")

    with pytest.raises(ValueError, match="the worker's own error"):
        call_with_deadline(fails, (), 5.0, lambda: TimeLimitExceeded("late"))
    release = threading.Event()
    try:
        with pytest.raises(TimeLimitExceeded, match=r"^push: too slow$"):
            call_with_deadline(release.wait, (30.0,), 0.05, lambda: TimeLimitExceeded("push: too slow"))
    finally:
        release.set()  # the abandoned thread ends now instead of at exit


def test_call_with_timeout_names_the_work_it_stopped():
    assert call_with_timeout(sorted, ([3, 1, 2],), 30.0, "sort") == [1, 2, 3]
    with pytest.raises(TimeLimitExceeded, match=r"^query\.rq: stopped after 0\.2 s \(the time limit; raise it"):
        call_with_timeout(threading.Event().wait, (30.0,), 0.2, "query.rq")
    with pytest.raises(TimeLimitExceeded, match="must be more than 0 seconds, not -1"):
        call_with_timeout(sorted, ([],), -1, "sort")
