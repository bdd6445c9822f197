"""vnplan: Vietnamese provincial plan documents → a normalized dataset."""

__version__ = "0.1.0"
