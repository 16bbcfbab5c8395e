"""Whole-page cache for the pages people read most, emptied by any change to the data.

Most visits only read: the Direktion, revisorer and unit leads look at the same plan, goal tree and
översikt many times between two changes. So those pages are kept, rendered, per session (the HTML holds
the user's own links, forms and CSRF token) under the **data version**: a counter in the database
(``DataVersion``) that moves on after every committed transaction that wrote to a table a page can
show. A page is served from the cache only while the version, the day and the session are the ones it
was rendered for; the first view after any change renders it anew.

The writes are seen where they happen, in SQL: an execute wrapper on every database connection
(``watch_writes``, installed when a connection opens) sees each INSERT, UPDATE and DELETE, whether it
comes from the ORM, ``queryset.update()``, ``bulk_create``, the admin, an import, a Celery task or raw
SQL, and bumps the version once the transaction commits (at once in autocommit). Until then the
connection that wrote neither reads nor stores cached pages, so a request always sees its own writes.
"""

from __future__ import annotations

import hashlib
import re
from functools import partial, wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F
from django.http import HttpResponse
from django.utils import timezone

# The table a statement writes to: INSERT INTO "t", INSERT OR IGNORE INTO t, UPDATE "t", DELETE FROM "t".
WRITE = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)', re.IGNORECASE)


def _shown_by_pages(table: str) -> bool:
    return not table.lower().startswith((*settings.PAGE_CACHE_IGNORED_TABLES, "federation_dataversion"))


# --- The data version -------------------------------------------------------------------


def data_version(*, using: str = DEFAULT_DB_ALIAS) -> int:
    from federation.models import DataVersion

    return DataVersion.objects.using(using).values_list("value", flat=True).first() or 0


def data_version_bump(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Move the version on: every page cached so far is out of date."""
    from federation.models import DataVersion

    if not DataVersion.objects.using(using).filter(pk=1).update(value=F("value") + 1):
        DataVersion.objects.using(using).bulk_create([DataVersion(pk=1, value=1)], ignore_conflicts=True)


def has_uncommitted_writes(connection) -> bool:
    """True while ``connection`` is inside a transaction that has written and not yet committed."""
    return any(
        getattr(callback, "func", None) is data_version_bump for _ids, callback, _robust in connection.run_on_commit
    )


_watching = True


def watch_writes(execute, sql, params, many, context):
    """Execute wrapper: after a write to a table pages may show, bump the version when it commits."""
    result = execute(sql, params, many, context)
    match = WRITE.match(sql)
    if _watching and match and _shown_by_pages(match[1]):
        connection = context["connection"]
        if not connection.in_atomic_block:
            data_version_bump(using=connection.alias)  # autocommit: already committed
        elif not has_uncommitted_writes(connection):
            transaction.on_commit(partial(data_version_bump, using=connection.alias), using=connection.alias)
    return result


def install_write_watcher(sender, connection, **kwargs):
    """``connection_created`` receiver. First in the list, so ``connection.execute_wrapper()`` blocks opened
    before the connection (they pop the last wrapper when they end) still remove their own."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, watch_writes)


def pause_during_migrate(sender, **kwargs):
    """``pre_migrate`` receiver: migrations change tables, the version's among them, not what pages show."""
    global _watching
    _watching = False


def bump_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """``post_migrate`` receiver: watch again, and move the version on (new code may render pages anew)."""
    global _watching
    _watching = True
    data_version_bump(using=using)


# --- The page cache ---------------------------------------------------------------------------


def _page_key(request) -> str | None:
    """The cache key of this request's page, or None when it must be rendered (and not kept)."""
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method != "GET":
        return None
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    csrf_cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if not (request.user.is_authenticated and session_key and csrf_cookie):
        return None
    if len(get_messages(request)):  # a message to show once (does not mark them read)
        return None
    if has_uncommitted_writes(connections[DEFAULT_DB_ALIAS]):
        return None
    parts = [
        str(data_version()),
        timezone.localdate().isoformat(),  # "today" decides due, overdue and who holds a role
        session_key,
        csrf_cookie,
        request.get_full_path(),
    ]
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _sets_cookies(request, response) -> bool:
    """True if the response sets a cookie other than the CSRF cookie the browser already has (Django sends that
    one again with every page that uses the token, to renew its expiry)."""
    return any(
        name != settings.CSRF_COOKIE_NAME or morsel.value != request.COOKIES.get(name)
        for name, morsel in response.cookies.items()
    )


def _keep(request, key, response):
    if (
        response.status_code != 200
        or response.streaming
        or _sets_cookies(request, response)
        or getattr(request, "_csp_nonce", None)  # a nonce is good for one response only
        or has_uncommitted_writes(connections[DEFAULT_DB_ALIAS])
    ):
        return
    caches["default"].set(key, (response.content, list(response.items())), settings.PAGE_CACHE_SECONDS)


def cache_page_per_session(view):
    """Serve the view's GET page from the cache while the data, the day and the session are unchanged."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        key = _page_key(request)
        if key is None:
            return view(request, *args, **kwargs)
        kept = caches["default"].get(key)
        if kept is not None:
            content, headers = kept
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if callable(getattr(response, "render", None)) and not response.is_rendered:
            response.add_post_render_callback(lambda rendered: _keep(request, key, rendered))
        else:
            _keep(request, key, response)
        return response

    return cached_view


class CachedChangelistMixin:
    """ModelAdmin mixin: the change list (the admin's longest page) through the page cache."""

    def changelist_view(self, request, extra_context=None):
        return cache_page_per_session(super().changelist_view)(request, extra_context)
