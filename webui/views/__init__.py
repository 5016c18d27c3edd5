"""The blueprints of the web UI: browse, catalogue, report, and the SPARQL endpoint (sparql)."""
