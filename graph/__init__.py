"""regelgraf: a legal-rule knowledge graph of Danish legislation."""
