"""Lists that grow with the data are shown a page at a time (GOV.UK pagination: templates/partial/pagination.html)."""

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 50


def page_of(request: HttpRequest | None, items, *, per_page: int = PER_PAGE, param: str = "page") -> Page:
    """The page of `items` that `?<param>=` asks for: the first for anything that is not a page number (or
    with no request), the last for one past the end. A second list on the same page takes a param of its own,
    so turning its pages leaves the other list where it was."""
    return Paginator(items, per_page).get_page(request.GET.get(param) if request is not None else None)
