"""What the endpoint refuses: updates, and federation to hosts that were not allowed.

The endpoint is read-only: a SPARQL Update (``INSERT``, ``DELETE``, ``LOAD``, ``DROP``…)
is refused whatever way it arrives. ``SERVICE`` (federated query) makes the server fetch
from another host, so it is off unless the operator lists the host with ``--allow-service``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef

from dermkg.server.errors import EndpointError

_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)


def looks_like_update(sparql: str) -> bool:
    """Whether ``sparql`` parses as a SPARQL 1.1 Update request."""
    try:
        parseUpdate(sparql)
    except Exception:  # the rdflib parser raises pyparsing errors of several kinds
        return False
    return True


def refuse_update() -> EndpointError:
    """The error for an update sent to this read-only endpoint."""
    return EndpointError(
        403, "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, "
        "CREATE, ADD, MOVE, COPY) is not accepted; change the graph with `dermkg build`, "
        "`dermkg add` or `dermkg retract`"
    )


def _service_terms(node: object, out: list[object]) -> list[object]:
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            out.append(node.get("term"))
        for value in node.values():
            _service_terms(value, out)
    elif isinstance(node, list | tuple):
        for value in node:
            _service_terms(value, out)
    return out


def service_targets(sparql: str) -> list[object]:
    """The targets of the query's ``SERVICE`` clauses (IRIs, or variables)."""
    if not _SERVICE.search(sparql):
        return []
    try:
        query = translateQuery(parseQuery(sparql))
    except Exception as exc:
        raise EndpointError(
            400, f"the query uses SERVICE and could not be checked against the allowed "
            f"hosts: {exc}"
        ) from None
    return _service_terms(query.algebra, [])


def check_services(sparql: str, allowed_hosts: Iterable[str]) -> None:
    """Refuse the query (403) if it calls a ``SERVICE`` whose host is not allowed."""
    allowed = {h.lower() for h in allowed_hosts}
    for target in service_targets(sparql):
        if not isinstance(target, URIRef):
            raise EndpointError(
                403, "SERVICE with a variable endpoint is not allowed: name the endpoint IRI"
            )
        host = (urlsplit(str(target)).hostname or "").lower()
        if host not in allowed:
            hint = (
                "federated queries are off" if not allowed
                else f"allowed hosts: {', '.join(sorted(allowed))}"
            )
            raise EndpointError(
                403, f"SERVICE <{target}> is not allowed ({hint}; the operator can allow a "
                "host with `dermkg serve --allow-service HOST`)"
            )
