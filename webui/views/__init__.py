"""The blueprints of the web UI: browse, catalogue, report."""
