"""One way in for every uploaded file: size limit, type from the bytes, storage, permission to read."""

import csv
import hashlib
import io
import os
import re
import zipfile
import zlib
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
    label: str  # what the contents are, after "a" or "an": "PDF", "Word document"
    name: str  # the kind in a list of what may be uploaded: "PDF", "Word"
    extensions: tuple[str, ...] = ()  # every ending a name of this kind may have; the first is `extension`

    @property
    def endings(self) -> tuple[str, ...]:
        return self.extensions or (self.extension,)

    @property
    def described(self) -> str:
        return _article(self.label)


PDF = FileKind("pdf", "application/pdf", "PDF", "PDF")
DOCX = FileKind(
    "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word document", "Word"
)
XLSX = FileKind(
    "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel spreadsheet", "Excel"
)
ODT = FileKind("odt", "application/vnd.oasis.opendocument.text", "OpenDocument text document", "OpenDocument")
CSV = FileKind("csv", "text/csv", "CSV file", "CSV")
PNG = FileKind("png", "image/png", "PNG image", "PNG")
JPEG = FileKind("jpg", "image/jpeg", "JPEG image", "JPEG", ("jpg", "jpeg"))
# Not a document people upload, but the crime import takes a zip of police.uk CSV files.
ZIP = FileKind("zip", "application/zip", "zip file", "zip")

ALL_KINDS = (PDF, DOCX, XLSX, ODT, CSV, PNG, JPEG)
KNOWN_KINDS = (*ALL_KINDS, ZIP)

# Markup a browser (or an XML reader) would act on, looked for in lower-cased bytes. Refused in any text upload
# whatever its name, and in the first kilobyte of a binary file, where a browser that sniffs would look for it.
_SVG = (b"<svg",)
_HTML = tuple(
    b"<" + tag
    for tag in (
        b"!doctype",
        b"html",
        b"head",
        b"body",
        b"iframe",
        b"frame",
        b"object",
        b"embed",
        b"applet",
        b"img",
        b"a ",
        b"a\t",
        b"a\n",
        b"a\r",
        b"link",
        b"meta",
        b"style",
        b"form",
        b"base",
        b"math",
        b"template",
        b"video",
        b"audio",
        b"input",
        b"details",
        b"marquee",
    )
)
_SCRIPT = (b"<script", b"javascript:", b"vbscript:", b"data:text/html", b"+adw-")  # +ADw- is "<" in UTF-7
_XML = (b"<?xml", b"<!entity", b"<![cdata[", b"<xsl:")
_HANDLER = re.compile(rb"on[a-z]{3,}\s*=")  # onload=, onerror = ...
_PDF_ACTIONS = re.compile(rb"/(?:JavaScript|Launch|EmbeddedFile|RichMedia)\b")
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NAME_ENDING = re.compile(r"[A-Za-z][A-Za-z0-9]{0,4}")
# A zip's CSV files are read whole to be checked; past this, it is refused rather than unpacked.
_ZIP_CONTENT_FACTOR = 10


class UnacceptableFileError(Exception):
    """The contents are not a kind the service accepts: `described` says what they are, e.g. "an HTML web page"."""

    def __init__(self, described: str = "", advice: str = ""):
        super().__init__(described)
        self.described, self.advice = described, advice


def _article(label: str) -> str:
    return f"{'an' if label[:1].lower() in 'aeiou' else 'a'} {label}"


def sniff(
    data: bytes, *, allowed: tuple[FileKind, ...] = ALL_KINDS, ragged_rows: bool = False
) -> FileKind | None:
    """Identify a file by its content, never its name. Returns None for anything not accepted."""
    try:
        return identify(data, allowed=allowed, ragged_rows=ragged_rows)
    except UnacceptableFileError:
        return None


def identify(
    data: bytes, *, allowed: tuple[FileKind, ...] = ALL_KINDS, ragged_rows: bool = False
) -> FileKind:
    """The kind of file `data` is, from its bytes. Raises UnacceptableFileError, saying what it is where that is known.

    ragged_rows: the caller checks each CSV row itself and reports a bad one (the police.uk import), so a CSV's
    rows need not all have its header's number of columns.
    """
    if data.startswith(b"%PDF-"):
        kind = PDF
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = PNG
    elif data.startswith(b"\xff\xd8\xff"):
        kind = JPEG
    elif data.startswith(b"PK\x03\x04"):
        kind = _identify_zip(data, allowed=allowed, ragged_rows=ragged_rows)
    else:
        _check_csv(data, ragged_rows=ragged_rows)
        return CSV
    if _markup(data[:1024]) not in (
        None,
        "an XML file",
    ):  # XML is allowed: images and PDFs carry XMP metadata
        # A polyglot: a real PDF, image or zip that a browser could also take for a web page.
        raise UnacceptableFileError(f"{kind.described} with web page code in it")
    if kind is PDF and _PDF_ACTIONS.search(data):
        raise UnacceptableFileError(
            "a PDF with scripts, launch actions or embedded files in it",
            "print it to a new PDF and upload that",
        )
    return kind


def _identify_zip(data: bytes, *, allowed, ragged_rows: bool) -> FileKind:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            lowered = {name.lower() for name in names}
            if "mimetype" in names:
                mimetype = archive.open("mimetype").read(200).decode("ascii", "replace").strip()
                if mimetype != ODT.mime_type:
                    raise UnacceptableFileError()
                if any(n.startswith(("basic/", "scripts/")) for n in lowered):
                    raise UnacceptableFileError(
                        f"{ODT.described} with macros in it", "save it without macros and try again"
                    )
                return ODT
            if "[Content_Types].xml" in names:
                kind = (
                    DOCX
                    if any(n.startswith("word/") for n in names)
                    else (XLSX if any(n.startswith("xl/") for n in names) else None)
                )
                if kind is None:
                    raise UnacceptableFileError()
                content_types = archive.open("[Content_Types].xml").read(1024 * 1024).lower()
                if (
                    any(n.endswith("vbaproject.bin") or "/activex/" in n for n in lowered)
                    or b"macroenabled" in content_types
                    or b"vbaproject" in content_types
                ):
                    raise UnacceptableFileError(
                        f"{kind.described} with macros in it",
                        f"save it as {kind.described} without macros (.{kind.extension}) and try again",
                    )
                return kind
            if ZIP not in allowed:
                raise UnacceptableFileError(ZIP.described)
            csv_members = [
                i
                for i in infos
                if i.filename.lower().endswith(".csv")
                and not i.is_dir()
                and not i.filename.startswith("__MACOSX")
            ]
            if sum(i.file_size for i in csv_members) > _ZIP_CONTENT_FACTOR * settings.DOCUMENT_MAX_BYTES:
                raise UnacceptableFileError("a zip file too large to unpack")
            for info in csv_members:
                try:
                    _check_csv(archive.read(info), ragged_rows=ragged_rows)
                except UnacceptableFileError as exc:
                    raise UnacceptableFileError(
                        f"a zip file whose {info.filename.rsplit('/', 1)[-1]} is "
                        f"{exc.described or 'not a CSV file'}"
                    ) from None
            return ZIP
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        KeyError,
        EOFError,
        RuntimeError,
        NotImplementedError,
        zlib.error,
    ):
        raise UnacceptableFileError("a damaged zip file") from None


def _handler(lowered: bytes) -> bool:
    for match in _HANDLER.finditer(lowered):
        before = lowered[match.start() - 1 : match.start()]
        if not before or not (before.isalnum() or before == b"_"):
            return True
    return False


def _markup(data: bytes) -> str | None:
    """What kind of markup or script `data` holds, if any."""
    lowered = data.lower()
    if any(token in lowered for token in _SVG):
        return "an SVG image"
    if any(token in lowered for token in _HTML):
        return "an HTML web page"
    if any(token in lowered for token in _SCRIPT) or _handler(lowered):
        return "a script"
    if any(token in lowered for token in _XML):
        return "an XML file"
    return None


def _check_csv(data: bytes, *, ragged_rows: bool) -> None:
    """Raise UnacceptableFileError unless `data` is text that Python's csv module reads as a table of two or more columns."""
    if not data or _CONTROL.search(data):
        raise UnacceptableFileError()  # NUL and other control bytes: not text
    # Markup is looked for in the bytes, so a UTF-8 or Windows-1252 page is found whichever it is.
    markup = _markup(data)
    if markup:
        raise UnacceptableFileError(markup)
    try:
        _check_table(_decoded(data), ragged_rows=ragged_rows)
    except csv.Error:
        raise UnacceptableFileError() from None


def _decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise UnacceptableFileError() from None


def _check_table(text: str, *, ragged_rows: bool) -> None:
    width, blank_lines = None, 0
    for row in csv.reader(io.StringIO(text, newline=""), strict=True):
        if not row:
            blank_lines += 1
            continue
        if blank_lines and not ragged_rows:
            raise UnacceptableFileError()  # only blank lines at the end are allowed
        if width is None:
            width = len(row)
            if width < 2:
                raise UnacceptableFileError()  # one column: any text would pass
        elif len(row) != width and not ragged_rows:
            raise UnacceptableFileError()
    if width is None:
        raise UnacceptableFileError()


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    kind: FileKind
    name: str  # the uploaded name, ending with an ending of its kind


def accepted_kinds(allowed: tuple[FileKind, ...]) -> str:
    """'a PDF, Word, Excel, OpenDocument, CSV, PNG or JPEG file'"""
    names = [k.name for k in allowed]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return f"{_article(listed)} file"


def upload_hint(allowed: tuple[FileKind, ...] = ALL_KINDS) -> str:
    """The hint under a file input: 'PDF, Word (.docx), ... or JPEG, smaller than 20MB'."""
    described = [
        k.name if k.name.lower() == k.extension or k is JPEG else f"{k.name} (.{k.extension})"
        for k in allowed
    ]
    listed = described[0] if len(described) == 1 else f"{', '.join(described[:-1])} or {described[-1]}"
    return f"{listed}, smaller than {settings.DOCUMENT_MAX_BYTES // (1024 * 1024)}MB"


def accept_attribute(allowed: tuple[FileKind, ...] = ALL_KINDS) -> str:
    """The file input's `accept`: the endings and media types of the allowed kinds."""
    return ",".join([f".{e}" for k in allowed for e in k.endings] + [k.mime_type for k in allowed])


def _named(name: str, kind: FileKind, allowed: tuple[FileKind, ...]) -> str:
    """The name to store: the uploaded one, ending with an ending of its detected kind. Raises ValidationError when
    the name's own ending says it is something else."""
    name = (
        "".join(ch for ch in os.path.basename(name.replace("\\", "/")) if ch.isprintable()).strip()
        or "upload"
    )
    stem, dot, ending = name.rpartition(".")
    if not dot or not stem or not _NAME_ENDING.fullmatch(ending):
        stem, ending = name, ""
    if ending.lower() in kind.endings:
        return f"{stem[:250]}.{ending.lower()}"
    if not ending:
        return f"{stem[:250]}.{kind.extension}"
    named = next((k for k in KNOWN_KINDS if ending.lower() in k.endings), None)
    if named is not None:
        problem = f"its contents are {kind.described}, not {named.described}"
    else:
        problem = f"its contents are {kind.described} but its name ends .{ending}: rename it to end .{kind.extension}"
    raise ValidationError(
        f"The selected file must be {accepted_kinds(allowed)}: {problem}", code="wrong_type"
    )


def check_bytes(
    data: bytes, *, name: str, allowed: tuple[FileKind, ...] = ALL_KINDS, ragged_rows: bool = False
) -> CheckedFile:
    """Check bytes said to be a file called `name`: their type, and that the name agrees with it."""
    must = f"The selected file must be {accepted_kinds(allowed)}"
    if not data:
        raise ValidationError("The selected file is empty", code="empty")
    try:
        kind = identify(data, allowed=allowed, ragged_rows=ragged_rows)
    except UnacceptableFileError as exc:
        if not exc.described:
            raise ValidationError(
                f"{must}: its contents are not one of these, whatever its name says", code="wrong_type"
            ) from None
        advice = f": {exc.advice}" if exc.advice else ""
        raise ValidationError(
            f"{must}: its contents are {exc.described}, which cannot be uploaded{advice}", code="wrong_type"
        ) from None
    if kind not in allowed:
        _named(name, kind, allowed)  # a name that disagrees is named first
        raise ValidationError(f"{must}: its contents are {kind.described}", code="wrong_type")
    return CheckedFile(data=data, kind=kind, name=_named(name, kind, allowed))


def check_upload(
    uploaded, *, allowed: tuple[FileKind, ...] = ALL_KINDS, ragged_rows: bool = False
) -> CheckedFile:
    """Read and validate an upload. Raises ValidationError with a message for the person uploading."""
    limit = settings.DOCUMENT_MAX_BYTES
    too_large = f"The selected file must be smaller than {limit // (1024 * 1024)}MB"
    if uploaded.size is not None and uploaded.size > limit:
        raise ValidationError(too_large, code="too_large")
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(too_large, code="too_large")
    return check_bytes(data, name=uploaded.name or "upload", allowed=allowed, ragged_rows=ragged_rows)


def store_document(
    *,
    uploaded,
    attached_to,
    by,
    purpose: str = "",
    title: str = "",
    allowed: tuple[FileKind, ...] = ALL_KINDS,
    field: str | None = None,
) -> Document:
    """Check and store an upload. field: the form field a refusal belongs to, for services whose callers map a
    ValidationError's fields onto their form."""
    try:
        checked = check_upload(uploaded, allowed=allowed)
    except ValidationError as exc:
        raise (ValidationError({field: exc.error_list}) if field else exc) from None
    return store_bytes(
        data=checked.data,
        kind=checked.kind,
        original_name=checked.name,
        attached_to=attached_to,
        by=by,
        purpose=purpose,
        title=title,
    )


def store_bytes(
    *,
    data: bytes,
    kind: FileKind,
    original_name: str,
    attached_to,
    by=None,
    purpose: str = "",
    title: str = "",
) -> Document:
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
