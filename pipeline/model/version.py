"""The pipeline's version (part of every record's fingerprint)."""

__version__ = "0.1.0"
