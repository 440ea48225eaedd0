from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from opcc.models import Document
from opcc.services.documents import can_view_document


@login_required
def download(request, uuid):
    document = get_object_or_404(Document, uuid=uuid)
    if not can_view_document(request.user, document):
        # Not found, whether or not it exists: a file's existence is not for everyone.
        raise Http404("No such document")
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.mime_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
