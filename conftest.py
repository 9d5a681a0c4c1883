"""Makes the project importable from the repository root (pytest's rootdir)."""
