"""Persistence: models, migrations, ingest and the query functions that return view models."""
