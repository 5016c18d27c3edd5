"""Importers for Retsinformation's formats (placeholder; the public API is assembled below)."""
