"""NEC Digest: storage package."""
