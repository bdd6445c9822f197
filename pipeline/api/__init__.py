"""The read-only HTTP API over an output folder (`vnplan serve`)."""

from pipeline.api.app import create_app
from pipeline.api.server import serve
from pipeline.model.errors import ServeError

__all__ = ["ServeError", "create_app", "serve"]
