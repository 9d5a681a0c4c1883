"""Atlantico crawler: High-tech and Décryptages articles of atlantico.fr as clean JSON Lines."""

__version__ = "0.1.0"
