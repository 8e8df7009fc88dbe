"""The operation catalog: an environment's OpenAPI document as operations to explore.

`document` parses the document (untrusted) into a `Catalog`; `store` fetches it through
the guarded transport and keeps it per environment; `search` ranks operations for a
query; `forms` turns an operation into the composer's generated form and that form back
into a request; `explain` says in plain words what an OrderCloud error means.
"""

from django.urls import reverse

from console import environments
from console.catalog import forms, search, store


def composer_context(session, composed, env, errors, sending):
    """The composer's catalog part: the chosen operation's generated form (or why there is
    none; `sending`: the context it goes out as), and the operations pane of its
    environment (not loaded yet: the pane loads it)."""
    if not composed.operation:
        return pane_context(env, store.current(env, session))
    loaded = store.get(env, session)
    op = loaded.catalog.get(composed.operation) if loaded.catalog else None
    context = pane_context(env, loaded, current=composed.operation)
    if op is None:
        return {**context, "operation_missing": composed.operation}
    locks = forms.locks(session, env)
    form = forms.operation_form(loaded.catalog, op, composed, errors, sending, locks)
    return {**context, "operation_form": form}


def pane_context(env, loaded, query="", current=""):
    """What the operations pane shows: env's catalog (None: not loaded yet), the search."""
    catalog = loaded.catalog if loaded else None
    current_op = catalog.get(current) if catalog else None
    default = environments.default()
    return {
        "catalog_env": env,
        "catalog_loaded": loaded,
        "catalog_query": query,
        "catalog_results": search.search(catalog, query) if catalog and query.strip() else None,
        "catalog_current": current_op.operation_id if current_op else "",
        "catalog_open_tag": current_op.tag if current_op else "",
        "catalog_op_url": reverse("operation", args=["-"])[:-1],
        # Links name the environment unless it is the one /op/ falls back to anyway.
        "catalog_env_query": "" if env == default else f"?environment={env.id}",
    }


def operation_of(env, operation_id):
    """The operation of env's kept catalog, without fetching: None when unknown."""
    loaded = store.cached(env) if env is not None and operation_id else None
    return loaded.catalog.get(operation_id) if loaded and loaded.catalog else None


def known_roles(env):
    """The Roles suggestions for env: the roles it pre-fills, then its document's ApiRole
    enum once its catalog is kept (nothing is fetched for them)."""
    loaded = store.cached(env) if env is not None else None
    documented = loaded.catalog.roles if loaded and loaded.catalog else ()
    return tuple(dict.fromkeys((*(env.roles.split() if env else ()), *sorted(documented))))


def api_roles(env, session=None):
    """env's ApiRole enum, its document fetched if need be: None when there is none to read
    (what is an API role and what a custom one cannot be told then)."""
    loaded = store.get(env, session)
    return set(loaded.catalog.roles) if loaded.catalog and loaded.catalog.roles else None
