"""Page-number pagination with counts and links to the neighbouring pages."""

from math import ceil

from django.db.models import QuerySet
from django.http import HttpRequest

MAX_PAGE = 100_000


def page_link(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginate(request: HttpRequest, items: QuerySet, *, page: int, page_size: int):
    """The page's items and the page's counts and links (`api.schemas.Page`). A page past the
    last is empty, with the counts: a script looping until `next` is null stops there."""
    count = items.count()
    pages = max(1, ceil(count / page_size))
    start = (page - 1) * page_size
    meta = {
        "count": count,
        "page": page,
        "pages": pages,
        "page_size": page_size,
        "next": page_link(request, page + 1) if page < pages else None,
        "previous": page_link(request, min(page, pages + 1) - 1) if page > 1 else None,
    }
    return list(items[start : start + page_size]) if start < count else [], meta
