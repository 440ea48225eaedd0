"""Files an attacker (or a careless export) might upload, and good ones, for the tests of every upload page."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML_PAGE = b"Name,Value\n<html><body><script>fetch('/admin/')</script></body></html>\n"
SVG_ONLOAD = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)">a,b</svg>\n'
CSV_BYTES = b'Month,Referrals,Notes\n2026-09,40,Outreach\n2026-10,42,"Evesham, Pershore"\n'

# The refusals every upload page must give, and what the message names as the contents.
BAD_UPLOADS = [
    ("report.pdf", HTML_PAGE, "its contents are an HTML web page"),
    ("logo.svg", SVG_ONLOAD, "its contents are an SVG image"),
    ("report.pdf", CSV_BYTES, "its contents are a CSV file, not a PDF"),
]


def upload(name: str, data: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def office_zip(kind: str, *, macros: bool = False) -> bytes:
    buffer = io.BytesIO()
    folder = "word" if kind == "docx" else "xl"
    with zipfile.ZipFile(buffer, "w") as archive:
        main = (
            "application/vnd.ms-word.document.macroEnabled.main+xml"
            if macros
            else "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
        )
        archive.writestr("[Content_Types].xml", f'<Types><Override ContentType="{main}"/></Types>')
        archive.writestr(f"{folder}/{'document' if kind == 'docx' else 'workbook'}.xml", "<x/>")
        if macros:
            archive.writestr(f"{folder}/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")
    return buffer.getvalue()


ACCEPTED = "The selected file must be a PDF, Word, Excel, OpenDocument, CSV, PNG or JPEG file"


def refused_on_page(response, fragment: str, accepted: str = ACCEPTED) -> bool:
    """The page came back with the refusal in its GOV.UK error summary."""
    html = response.content.decode()
    summary = (
        html.split("govuk-error-summary__list", 1)[-1].split("</ul>", 1)[0]
        if "govuk-error-summary" in html
        else ""
    )
    return response.status_code == 200 and f"{accepted}: {fragment}" in summary
