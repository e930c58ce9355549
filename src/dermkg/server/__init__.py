"""``dermkg serve``: a read-only SPARQL 1.1 endpoint, saved queries as REST endpoints with
an OpenAPI description, and a web page to write and run SPARQL (see docs/server.md)."""

from dermkg.server.app import create_app
from dermkg.server.settings import ServerSettings

__all__ = ["ServerSettings", "create_app"]
