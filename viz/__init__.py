"""viz: networkx projections of the built graph and self-contained pyvis HTML pages."""
