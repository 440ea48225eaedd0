"""One way in for every uploaded file: size limit, type from the bytes, storage, permission to read."""

import hashlib
import io
import os
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from opcc.models import Document


@dataclass(frozen=True)
class FileKind:
    extension: str
    mime_type: str
    label: str


PDF = FileKind("pdf", "application/pdf", "PDF")
DOCX = FileKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word document")
XLSX = FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel spreadsheet")
ODT = FileKind("odt", "application/vnd.oasis.opendocument.text", "OpenDocument text")
CSV = FileKind("csv", "text/csv", "CSV file")
PNG = FileKind("png", "image/png", "PNG image")
JPEG = FileKind("jpg", "image/jpeg", "JPEG image")

ALL_KINDS = (PDF, DOCX, XLSX, ODT, CSV, PNG, JPEG)
ACCEPTED_LABEL = "PDF, DOCX, XLSX, ODT, CSV, PNG or JPEG"


def sniff(data: bytes) -> FileKind | None:
    """Identify a file by its content, never its name. Returns None for anything not accepted."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    return CSV if _looks_like_csv(data) else None


def _sniff_zip(data: bytes) -> FileKind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return ODT if mimetype == ODT.mime_type else None
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return DOCX
                if any(n.startswith("xl/") for n in names):
                    return XLSX
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None


def _looks_like_csv(data: bytes) -> bool:
    if not data or b"\x00" in data[:8192]:
        return False
    sample = data[:65536]
    try:
        text = sample.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = sample.decode("cp1252")
        except UnicodeDecodeError:
            return False
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    first_line = text.splitlines()[0] if text.splitlines() else ""
    return printable / max(len(text), 1) > 0.98 and "," in first_line


def check_upload(uploaded, *, allowed: tuple[FileKind, ...] = ALL_KINDS) -> tuple[bytes, FileKind]:
    """Read and validate an upload. Raises ValidationError with a message for the person uploading."""
    limit = settings.DOCUMENT_MAX_BYTES
    if uploaded.size is not None and uploaded.size > limit:
        raise ValidationError(
            f"The selected file must be smaller than {limit // (1024 * 1024)}MB", code="too_large"
        )
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            f"The selected file must be smaller than {limit // (1024 * 1024)}MB", code="too_large"
        )
    if not data:
        raise ValidationError("The selected file is empty", code="empty")
    kind = sniff(data)
    if kind is None or kind not in allowed:
        accepted = ", ".join(k.extension.upper() for k in allowed)
        raise ValidationError(
            f"The selected file must be a {accepted}: its contents are not one of these, whatever its name says",
            code="wrong_type",
        )
    return data, kind


def store_document(*, uploaded, attached_to, by, purpose: str = "", title: str = "",
                   allowed: tuple[FileKind, ...] = ALL_KINDS) -> Document:
    data, kind = check_upload(uploaded, allowed=allowed)
    return store_bytes(
        data=data, kind=kind, original_name=os.path.basename(uploaded.name or "upload"),
        attached_to=attached_to, by=by, purpose=purpose, title=title,
    )


def store_bytes(*, data: bytes, kind: FileKind, original_name: str, attached_to, by=None,
                purpose: str = "", title: str = "") -> Document:
    """Store bytes the system made or already checked (e.g. a rendered offer letter)."""
    document = Document(
        original_name=original_name[:255],
        title=title,
        mime_type=kind.mime_type,
        extension=kind.extension,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=by if (by is not None and by.is_authenticated) else None,
        uploaded_at=timezone.now(),
        content_type=ContentType.objects.get_for_model(type(attached_to)),
        object_id=attached_to.pk,
        purpose=purpose,
    )
    document.file.save(f"{document.uuid}.{kind.extension}", ContentFile(data), save=False)
    document.save()
    return document


def documents_for(obj, purpose: str | None = None):
    qs = Document.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)
    if purpose is not None:
        qs = qs.filter(purpose=purpose)
    return qs.select_related("uploaded_by")


def delete_document(document: Document) -> None:
    """Remove a document and its stored file (callers check who may, and when)."""
    document.file.delete(save=False)
    document.delete()


def can_view_document(user, document: Document) -> bool:
    """A document is visible to whoever may view the thing it is attached to."""
    target = document.attached_to
    if target is None:
        return False
    meta = target._meta
    return user.has_perm(f"{meta.app_label}.view_{meta.model_name}", target)
