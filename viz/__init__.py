"""viz: networkx projections of the built graph and self-contained vis-network HTML pages."""
