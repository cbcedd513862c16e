"""NEC Digest: digests package."""
