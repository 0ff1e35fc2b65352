"""Every RDF term the code names, as plain URIRef constants, with the namespaces they come from.

Why one module: the same IRIs were spelled out as "http://www.w3.org/..." strings in ten
modules, and hot loops hoisted `OA.hasBody` into module constants of their own, because each
attribute of rdflib's DefinedNamespace is a lookup with a check. Here each term is looked up
once, at import, and checked: rdflib refuses a term its closed namespaces (RDF, RDFS, OWL,
SKOS, XSD, PROV, DCTERMS, DCAT, VOID, SHACL) do not define, so a typo fails at import, not as a
query that silently matches nothing. The constants are plain URIRef. A URIRef is a str but
never equals one (rdflib compares types): against the text pyoxigraph terms carry in `.value`,
compare `str(RDF_TYPE)`, or use NAMESPACES.

Names are mechanical: PREFIX_TERM with camelCase split by "_" (SKOS_ALT_LABEL,
PROV_WAS_DERIVED_FROM, OA_HAS_BODY). The project's own ontology terms are CAFO_* (checked
against ontology/cafilm.ttl by tests/test_vocab.py). kg.iris keeps identity (entity, graph and
article IRIs, prefixes); this module keeps terms. It imports nothing from kg.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT as DCAT
from rdflib.namespace import DCTERMS as DCTERMS
from rdflib.namespace import OWL as OWL
from rdflib.namespace import PROV as PROV
from rdflib.namespace import RDF as RDF
from rdflib.namespace import RDFS as RDFS
from rdflib.namespace import SH as SH
from rdflib.namespace import SKOS as SKOS
from rdflib.namespace import VOID as VOID
from rdflib.namespace import XSD as XSD

# The project's base: ontology terms under BASE + "ontology#", things under BASE + "id/" (kg.iris).
BASE = "https://w3id.org/ca-film/"
CAFO = Namespace(BASE + "ontology#")
# Open vocabularies rdflib does not define (OA) or defines under another IRI (rdflib's SDO is
# https://schema.org/ too, but as a closed namespace far larger than what is used here).
SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
WD = Namespace("http://www.wikidata.org/entity/")
# IANA media types (dcat:mediaType values of the dumps, kg.dataset)
IANA_MEDIA_TYPES = Namespace("https://www.iana.org/assignments/media-types/")

# RDF
RDF_TYPE = RDF.type
RDF_STATEMENT = RDF.Statement
RDF_SUBJECT = RDF.subject
RDF_PREDICATE = RDF.predicate
RDF_OBJECT = RDF.object
RDF_LANG_STRING = RDF.langString
RDF_FIRST = RDF.first
RDF_REST = RDF.rest
RDF_NIL = RDF.nil
RDF_PROPERTY = RDF.Property
RDF_PLAIN_LITERAL = RDF.PlainLiteral

# RDFS
RDFS_LABEL = RDFS.label
RDFS_COMMENT = RDFS.comment
RDFS_DOMAIN = RDFS.domain
RDFS_RANGE = RDFS.range
RDFS_SUB_CLASS_OF = RDFS.subClassOf
RDFS_SUB_PROPERTY_OF = RDFS.subPropertyOf
RDFS_CLASS = RDFS.Class
RDFS_SEE_ALSO = RDFS.seeAlso

# OWL
OWL_CLASS = OWL.Class
OWL_OBJECT_PROPERTY = OWL.ObjectProperty
OWL_DATATYPE_PROPERTY = OWL.DatatypeProperty
OWL_ANNOTATION_PROPERTY = OWL.AnnotationProperty
OWL_FUNCTIONAL_PROPERTY = OWL.FunctionalProperty
OWL_EQUIVALENT_CLASS = OWL.equivalentClass
OWL_EQUIVALENT_PROPERTY = OWL.equivalentProperty
OWL_ONE_OF = OWL.oneOf
OWL_UNION_OF = OWL.unionOf
OWL_SAME_AS = OWL.sameAs
OWL_ONTOLOGY = OWL.Ontology
OWL_INVERSE_OF = OWL.inverseOf
OWL_TRANSITIVE_PROPERTY = OWL.TransitiveProperty
OWL_SYMMETRIC_PROPERTY = OWL.SymmetricProperty
OWL_NAMED_INDIVIDUAL = OWL.NamedIndividual
OWL_THING = OWL.Thing
OWL_DIFFERENT_FROM = OWL.differentFrom

# SKOS
SKOS_CONCEPT = SKOS.Concept
SKOS_CONCEPT_SCHEME = SKOS.ConceptScheme
SKOS_PREF_LABEL = SKOS.prefLabel
SKOS_ALT_LABEL = SKOS.altLabel
SKOS_DEFINITION = SKOS.definition
SKOS_IN_SCHEME = SKOS.inScheme
SKOS_EDITORIAL_NOTE = SKOS.editorialNote
SKOS_EXACT_MATCH = SKOS.exactMatch
SKOS_CLOSE_MATCH = SKOS.closeMatch

# XSD
XSD_STRING = XSD.string
XSD_INTEGER = XSD.integer
XSD_DECIMAL = XSD.decimal
XSD_BOOLEAN = XSD.boolean
XSD_DATE = XSD.date
XSD_G_YEAR = XSD.gYear
XSD_LANGUAGE = XSD.language
XSD_NON_NEGATIVE_INTEGER = XSD.nonNegativeInteger
XSD_TIME = XSD.time
XSD_DATE_TIME = XSD.dateTime

# PROV
PROV_ENTITY = PROV.Entity
PROV_WAS_DERIVED_FROM = PROV.wasDerivedFrom

# DCTERMS
DCTERMS_SOURCE = DCTERMS.source
DCTERMS_PUBLISHER = DCTERMS.publisher
DCTERMS_TITLE = DCTERMS.title

# OA
OA_ANNOTATION = OA.Annotation
OA_SPECIFIC_RESOURCE = OA.SpecificResource
OA_TEXT_QUOTE_SELECTOR = OA.TextQuoteSelector
OA_TEXT_POSITION_SELECTOR = OA.TextPositionSelector
OA_MOTIVATED_BY = OA.motivatedBy
OA_DESCRIBING = OA.describing
OA_HAS_BODY = OA.hasBody
OA_HAS_TARGET = OA.hasTarget
OA_HAS_SOURCE = OA.hasSource
OA_HAS_SELECTOR = OA.hasSelector
OA_EXACT = OA.exact
OA_PREFIX = OA.prefix
OA_SUFFIX = OA.suffix
OA_START = OA.start
OA_END = OA.end

# SCHEMA
SCHEMA_NEWS_ARTICLE = SCHEMA.NewsArticle
SCHEMA_MOVIE = SCHEMA.Movie
SCHEMA_HEADLINE = SCHEMA.headline
SCHEMA_NAME = SCHEMA.name
SCHEMA_DATE_PUBLISHED = SCHEMA.datePublished
SCHEMA_IN_LANGUAGE = SCHEMA.inLanguage
SCHEMA_AUTHOR = SCHEMA.author
SCHEMA_PUBLISHER = SCHEMA.publisher
SCHEMA_SHA256 = SCHEMA.sha256

# VOID
VOID_DATASET = VOID.Dataset
VOID_TRIPLES = VOID.triples

# DCAT
DCAT_DATASET = DCAT.Dataset

# SH
SH_NODE_SHAPE = SH.NodeShape
SH_VALIDATION_RESULT = SH.ValidationResult
SH_VIOLATION = SH.Violation
SH_WARNING = SH.Warning
SH_INFO = SH.Info
SH_ALTERNATIVE_PATH = SH.alternativePath
SH_FOCUS_NODE = SH.focusNode
SH_INVERSE_PATH = SH.inversePath
SH_MESSAGE = SH.message
SH_MIN_COUNT = SH.minCount
SH_PATH = SH.path
SH_PROPERTY = SH.property
SH_RESULT_MESSAGE = SH.resultMessage
SH_RESULT_PATH = SH.resultPath
SH_RESULT_SEVERITY = SH.resultSeverity
SH_SEVERITY = SH.severity
SH_SOURCE_SHAPE = SH.sourceShape
SH_SPARQL = SH.sparql
SH_SELECT = SH.select
SH_VALUE = SH.value

# CAFO
CAFO_DONE = CAFO.Done
CAFO_MONETARY_AMOUNT = CAFO.MonetaryAmount
CAFO_WORK = CAFO.Work
CAFO_AWARD_WIN = CAFO.AwardWin
CAFO_ACCORDING_TO = CAFO.accordingTo
CAFO_AMOUNT = CAFO.amount
CAFO_AT_EVENT = CAFO.atEvent
CAFO_AWARD = CAFO.award
CAFO_AWARDEE = CAFO.awardee
CAFO_BYLINE = CAFO.byline
CAFO_CAST_MEMBER = CAFO.castMember
CAFO_CITES_SOURCE = CAFO.citesSource
CAFO_CONCEPT_SCHEME = CAFO.conceptScheme
CAFO_CONFERRED_BY = CAFO.conferredBy
CAFO_CURRENCY = CAFO.currency
CAFO_DATELINE_PLACE = CAFO.datelinePlace
CAFO_DERIVED = CAFO.derived
CAFO_DIRECTOR = CAFO.director
CAFO_EDITOR_LABEL = CAFO.editorLabel
CAFO_FILMING_LOCATION = CAFO.filmingLocation
CAFO_FOR_WORK = CAFO.forWork
CAFO_GENRE = CAFO.genre
CAFO_LOCATED_IN = CAFO.locatedIn
CAFO_LOCATION = CAFO.location
CAFO_NATIONALITY = CAFO.nationality
CAFO_PRODUCTION_COMPANY = CAFO.productionCompany
CAFO_PRODUCTION_COUNTRY = CAFO.productionCountry
CAFO_PUBLISHED_BY = CAFO.publishedBy
CAFO_QUALIFIER = CAFO.qualifier
CAFO_REFERENCE = CAFO.reference
CAFO_REFERENCE_LABEL = CAFO.referenceLabel
CAFO_SCREENED_WORK = CAFO.screenedWork
CAFO_STATUS = CAFO.status
CAFO_TIME_OF_DAY = CAFO.timeOfDay
# The namespaces as text, for the prefix table (kg.iris.PREFIXES), SPARQL PREFIX lines and
# string comparisons against pyoxigraph's `.value`.
NAMESPACES: dict[str, str] = {
    "cafo": str(CAFO),
    "schema": str(SCHEMA),
    "oa": str(OA),
    "prov": str(PROV),
    "wd": str(WD),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "void": str(VOID),
    "dcat": str(DCAT),
}


def sparql_prefixes(*names: str) -> str:
    """PREFIX lines for a SPARQL text, from NAMESPACES: `sparql_prefixes("rdf", "rdfs")`."""
    return "".join(f"PREFIX {name}: <{NAMESPACES[name]}>\n" for name in names)
