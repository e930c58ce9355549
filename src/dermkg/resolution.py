"""Looking a saved query's resolved parameters up before it runs.

A parameter with a ``# resolve: PARAM as VARIABLE by QUERY`` line
(:class:`dermkg.catalog.Resolution`) names a thing that another saved query finds: a
drug by name, synonym, brand or IRI; any node by label, NCT id or IRI. ``QUERY`` runs
first with the parameter, and the IRIs of its first column are bound to ``?VARIABLE``
(one ``VALUES`` row each, at the query's ``# @bind: VARIABLE`` markers). With several
lines for one parameter, the IRIs of all of them are bound.

Why: the main query then reads only those nodes' facts. Oxigraph joins a ``VALUES`` row
with the triple patterns after it row by row, while a lookup written inside the query (a
sub-select) is joined as a whole with everything the rest of the query reads: at 1M
triples, ``drug-profile`` went from 3.2 s to ~0.1 s live, and its stored answer (every
drug's profile) can be filtered by the IRIs (``# filter: drug_iri equals drug_iri``).

The engine is given as a function that answers a call of a saved query with the first
column of its rows, so the embedded store (with its stored answers), a remote endpoint
and rdflib (in tests) resolve alike; :func:`bound_text` serves engines that run text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from rdflib.term import Node, URIRef

from dermkg.binding import Binding, bind_values
from dermkg.catalog import SavedQuery, saved_queries

FirstColumn = Callable[[SavedQuery, Mapping[str, Binding]], Sequence[Node | None]]
"""Answers a call of a saved query (already resolved) with the first column of its rows."""

TextFirstColumn = Callable[[str], Sequence[Node | None]]
"""Runs a SELECT query's text and returns the first column of its rows."""


def resolved_bindings(query: SavedQuery, bindings: Mapping[str, Node],
                      first_column: FirstColumn,
                      catalog: Mapping[str, SavedQuery] | None = None) -> dict[str, Binding]:
    """``bindings`` with each resolved parameter replaced by the IRIs its resolvers find,
    bound to the resolution's variable (an empty tuple when they find none). A resolved
    parameter that is not given binds nothing: the query answers for every node."""
    catalog = saved_queries() if catalog is None else catalog
    out: dict[str, Binding] = {name: value for name, value in bindings.items()
                               if name not in {r.parameter for r in query.resolutions}}
    found: dict[str, list[URIRef]] = {}
    for resolution in query.resolutions:
        value = bindings.get(resolution.parameter)
        if value is None:
            continue
        resolver = catalog[resolution.query]
        resolver_bindings = resolved_bindings(resolver, {resolution.parameter: value},
                                              first_column, catalog)
        iris = found.setdefault(resolution.variable, [])
        iris += [t for t in first_column(resolver, resolver_bindings) if isinstance(t, URIRef)]
    for variable, iris in found.items():
        out[variable] = tuple(dict.fromkeys(iris))
    return out


def bound_text(query: SavedQuery, bindings: Mapping[str, Node], run: TextFirstColumn,
               catalog: Mapping[str, SavedQuery] | None = None) -> str:
    """The text an engine runs for a call of ``query``: parameters bound, resolved ones
    looked up first by running their resolvers' text with ``run``."""
    def first_column(resolver: SavedQuery, resolver_bindings: Mapping[str, Binding]
                     ) -> Sequence[Node | None]:
        return run(bind_values(resolver.sparql, resolver_bindings))

    if not query.resolutions:
        return bind_values(query.sparql, bindings)
    return bind_values(query.sparql,
                       resolved_bindings(query, bindings, first_column, catalog))
