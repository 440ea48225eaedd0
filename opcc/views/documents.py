import re

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header

from opcc.models import Document
from opcc.services.documents import can_view_document

_UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def safe_file_name(name: str) -> str:
    """A name to save a file under on any system: no path, quotes or control characters."""
    return _UNSAFE_IN_NAME.sub("-", name).strip(" .-") or "download"


def as_download(response, *, filename: str):
    """Every file the service hands out is saved, never shown in the site's origin: an attachment, not sniffed,
    and sandboxed with no sources should a browser render it anyway."""
    response["Content-Disposition"] = content_disposition_header(True, safe_file_name(filename))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def download(request, uuid):
    document = get_object_or_404(Document, uuid=uuid)
    if not can_view_document(request.user, document):
        # Not found, whether or not it exists: a file's existence is not for everyone.
        raise Http404("No such document")
    return as_download(
        FileResponse(document.file.open("rb"), content_type=document.mime_type),
        filename=document.original_name,
    )
