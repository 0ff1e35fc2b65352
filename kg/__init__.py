"""kg: the open knowledge graph of Central Asian film co-production.

Data flows one way: seeds + ontology -> checked mapping objects -> RDF dataset -> outputs.
"""

__version__ = "0.1.0"
