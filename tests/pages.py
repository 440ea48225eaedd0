"""Reading a page as its reader does: the rows of one table, the pagination links."""

import re
from html import unescape


def table_rows(body: str, caption: str) -> int:
    """How many body rows the table with this caption shows."""
    for table in re.findall(r"<table\b.*?</table>", body, re.S):
        found = re.search(r"<caption[^>]*>(.*?)</caption>", table, re.S)
        if found and caption in re.sub(r"<[^>]+>", "", found.group(1)):
            tbody = re.search(r"<tbody[^>]*>(.*?)</tbody>", table, re.S).group(1)
            return len(re.findall(r"<tr\b", tbody))
    raise AssertionError(f"No table captioned {caption!r}")


def next_page_link(body: str, label: str = "Pagination") -> str | None:
    """The "Next" link of the pagination labelled `label`, if there is one."""
    nav = re.search(rf'<nav class="govuk-pagination" aria-label="{re.escape(label)}">(.*?)</nav>', body, re.S)
    if nav is None:
        return None
    link = re.search(r'<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next">', nav.group(1))
    return unescape(link.group(1)) if link else None
