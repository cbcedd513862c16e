"""NEC Digest: bot package."""
