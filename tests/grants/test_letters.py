import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from grants import letters, selectors
from grants.services import offers as offer_services
from opcc.models import Role
from tests.conftest import sign_in
from tests.grants.factories import cgs_round, offered, roles

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


@pytest.mark.parametrize(
    "amount, words",
    [
        ("0.01", "zero pounds and one pence"),
        ("1", "one pound"),
        ("12500.50", "twelve thousand, five hundred pounds and fifty pence"),
        ("1005", "one thousand and five pounds"),
        ("250000", "two hundred and fifty thousand pounds"),
        (
            "1234567.89",
            "one million, two hundred and thirty-four thousand, five hundred and sixty-seven pounds and eighty-nine pence",
        ),
    ],
)
def test_amounts_in_words(amount, words):
    assert letters.amount_in_words(Decimal(amount)) == words


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_offer_letter_carries_names_amounts_words_and_conditions(client, world):
    provider, officer = roles(world)
    application = offered(cgs_round(), provider, officer, amount="12500.50")
    sign_in(client, provider)
    response = client.get(f"/grants/applications/{application.pk}/offer-letter.pdf")
    assert response["Content-Type"] == "application/pdf"
    data = response.content
    text = " ".join(_text(data).split())
    for expected in (
        "Office of the West Mercia Police and Crime Commissioner",
        world.organisation.name,
        "Safe at home",
        "£12,500.50",
        "twelve thousand, five hundred pounds and fifty pence",
        "Attend the annual providers' forum",
        "Report what the grant achieves",
        "Households made safer",
        "People supported",
        # £12,500.50 from the CGS is at the standard monitoring tier: a return each quarter.
        "You will send an outcome return each quarter, within 30 days of the quarter's end",
        application.award.reference,
        "first instalment",
        "Elected Local Policing Bodies",
    ):
        assert expected in text, expected
    assert len(PdfReader(io.BytesIO(data)).pages) <= 2
    # Look at it as a picture, too.
    if shutil.which("pdftoppm"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS / "grants-offer-letter.pdf").write_bytes(data)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                str(SCREENSHOTS / "grants-offer-letter.pdf"),
                str(SCREENSHOTS / "grants-offer-letter"),
            ],
            check=True,
        )
        assert list(SCREENSHOTS.glob("grants-offer-letter-*.png"))


def test_a_small_grants_letter_asks_for_one_end_of_project_report_and_its_award_gets_just_that(client, world):
    from datetime import date

    from reporting.models import QuarterlyReturn
    from reporting.services import returns

    provider, officer = roles(world)
    # £1,500 from the Commissioner's Grant Scheme is under the light tier's £5,000: one end-of-project report.
    application = offered(cgs_round(), provider, officer, amount="1500")
    sign_in(client, provider)
    text = " ".join(
        _text(client.get(f"/grants/applications/{application.pk}/offer-letter.pdf").content).split()
    )
    assert (
        "You will send one end-of-project report by 30 April 2027, 30 days after the project ends: a short "
        "account of what the project did and the difference it made, with photographs"
    ) in text
    assert "each quarter" not in text
    application = offer_services.accept_offer(
        application=application, by=provider, name="Lucy Evans", role="Treasurer", confirmed=True
    )
    application.offer.refresh_from_db()
    stored = application.offer.letter.file.open("rb").read()
    application.offer.letter.file.close()
    assert "one end-of-project report by 30 April 2027" in " ".join(_text(stored).split())
    award = application.award
    assert award.monitoring.tier.key == "light"
    # Once the grant has started (1 January 2027), the daily job makes its one report: no quarterly return.
    returns.ensure_returns(today=date(2027, 1, 5))
    assert list(
        QuarterlyReturn.objects.filter(award=award).values_list("kind", "quarter_start_year", "quarter")
    ) == [("end_of_project", 2026, 4)]


def test_an_accepted_letter_never_changes_when_the_template_is_edited(client, world):
    provider, officer = roles(world)
    application = offered(cgs_round(), provider, officer, amount="4000")
    application = offer_services.accept_offer(
        application=application, by=provider, name="Lucy Evans", role="Services manager", confirmed=True
    )
    application.offer.refresh_from_db()
    document = application.offer.letter
    stored = document.file.open("rb").read()
    document.file.close()
    assert "Accepted online" in _text(stored) and "Lucy Evans" in _text(stored)
    offer_services.save_template(
        by=officer, letterhead="A NEW LETTERHEAD", body="<p>Completely different {{ amount }}</p>"
    )
    sign_in(client, provider)
    served = client.get(f"/grants/applications/{application.pk}/offer-letter.pdf").content
    import hashlib

    assert served == stored and hashlib.sha256(served).hexdigest() == document.sha256
    page = client.get(f"/grants/applications/{application.pk}/").content.decode()
    assert document.sha256 in page
    from grants.models import OfferLetterTemplate

    assert (
        OfferLetterTemplate.objects.count() == 1
        and selectors.current_template().letterhead == "A NEW LETTERHEAD"
    )


def test_the_template_is_sandboxed_and_values_are_escaped(world):
    provider, officer = roles(world)
    application = offered(cgs_round(), provider, officer, amount="4000", title="<script>alert(1)</script>")
    html = letters.render_letter_html(
        letterhead="X", body="{{ project }}", values=letters.letter_values(application)
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    from django.core.exceptions import ValidationError

    for bad in ("{% load static %}", "{% include 'base.html' %}", "{% if %}", "{% extends 'base.html' %}"):
        with pytest.raises(ValidationError):
            offer_services.save_template(by=officer, letterhead="X", body=bad)
    # Only strings reach the template: no attribute walks to models or settings.
    html = letters.render_letter_html(
        letterhead="X",
        body="[{{ organisation.pk }}{{ settings }}{{ award.organisation }}]",
        values=letters.letter_values(application),
    )
    assert "[]" in html


def test_staff_preview_the_letter(client, world):
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    page = client.get("/grants/offer-letter/preview/").content.decode()
    assert "srcdoc=" in page and "eighteen thousand, five hundred pounds and fifty pence" in page
    pdf = client.get("/grants/offer-letter/preview/?format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and "Severn Valley" in _text(pdf.content)
    body = client.post("/grants/offer-letter/", {"letterhead": "Office", "body": "{% if %}"}).content.decode()
    assert "govuk-error-summary" in body and "mistake in its placeholders" in body and "{% if %}" in body


def _fonts(data: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts


def _long_letter(officer):
    """The office's wording made long enough to run over two pages."""
    offer_services.save_template(
        by=officer,
        letterhead=letters.DEFAULT_LETTERHEAD,
        body=letters.DEFAULT_BODY + "<p>Further terms of the grant apply to the project.</p>" * 60,
    )


def test_in_demo_mode_every_page_of_the_letter_says_it_is_not_a_real_offer(client, world, settings):
    settings.DEMO_MODE = True
    provider, officer = roles(world)
    application = offered(cgs_round(), provider, officer, amount="4000")
    _long_letter(officer)
    sign_in(client, provider)
    data = client.get(f"/grants/applications/{application.pk}/offer-letter.pdf").content
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) >= 2
    for page in pages:
        assert letters.DEMO_NOTICE in " ".join(page.extract_text().split())
    text = " ".join(_text(data).split())
    assert "Its organisations, people and amounts are made up" in text
    assert PdfReader(io.BytesIO(data)).metadata.title.startswith(letters.DEMO_NOTICE)
    # The copy stored when the offer is accepted is the one people keep: it carries the marking too.
    application = offer_services.accept_offer(
        application=application, by=provider, name="Lucy Evans", role="Manager", confirmed=True
    )
    application.offer.refresh_from_db()
    with application.offer.letter.file.open("rb") as stored:
        assert letters.DEMO_NOTICE in " ".join(_text(stored.read()).split())
    # Staff see it in the preview as well.
    sign_in(client, officer)
    assert letters.DEMO_NOTICE in client.get("/grants/offer-letter/preview/").content.decode()
    assert letters.DEMO_NOTICE in " ".join(
        _text(client.get("/grants/offer-letter/preview/?format=pdf").content).split()
    )


def test_outside_demo_mode_the_letter_is_unchanged(client, world, settings):
    settings.DEMO_MODE = False
    provider, officer = roles(world)
    application = offered(cgs_round(), provider, officer, amount="4000")
    sign_in(client, provider)
    data = client.get(f"/grants/applications/{application.pk}/offer-letter.pdf").content
    text = " ".join(_text(data).split())
    assert "Demonstration" not in text and "made up" not in text
    assert text.startswith("Office of the West Mercia Police and Crime Commissioner Hindlip Hall")
    assert PdfReader(io.BytesIO(data)).metadata.title == "Offer letter"
    sign_in(client, officer)
    assert letters.DEMO_NOTICE not in client.get("/grants/offer-letter/preview/").content.decode()


@pytest.mark.parametrize("demo", [True, False])
def test_the_page_numbers_are_in_the_letters_own_font_not_a_serif(world, demo):
    provider, officer = roles(world)
    _long_letter(officer)
    data = letters.render_letter_pdf(
        letterhead=letters.DEFAULT_LETTERHEAD,
        body=selectors.current_template().body,
        values=letters.sample_values(),
        demo=demo,
    )
    pages = len(PdfReader(io.BytesIO(data)).pages)
    text = " ".join(_text(data).split())
    assert pages > 1 and all(f"Page {n} of {pages}" in text for n in range(1, pages + 1))
    fonts = _fonts(data)
    assert fonts and all("DejaVu-Sans" in font for font in fonts), fonts
    assert not any("Serif" in font for font in fonts), fonts


def _saved_not_shown(response, filename):
    """A letter is a file to save: never shown in the site's own origin, never sniffed as something else."""
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = [d.strip() for d in response["Content-Security-Policy"].split(";")]
    assert "sandbox" in policy and "default-src 'none'" in policy


def test_every_offer_letter_is_served_as_a_download(client, world):
    provider, officer = roles(world)
    application = offered(cgs_round(), provider, officer, amount="4000")
    reference = application.award.reference
    sign_in(client, provider)
    page = client.get(f"/grants/applications/{application.pk}/").content.decode()
    assert "Download the offer letter (PDF)" in page and "Read the offer letter (PDF)" not in page
    _saved_not_shown(
        client.get(f"/grants/applications/{application.pk}/offer-letter.pdf"), f"offer-letter-{reference}.pdf"
    )
    offer_services.accept_offer(
        application=application, by=provider, name="Lucy Evans", role="Services manager", confirmed=True
    )
    _saved_not_shown(
        client.get(f"/grants/applications/{application.pk}/offer-letter.pdf"), f"offer-letter-{reference}.pdf"
    )
    sign_in(client, officer)
    _saved_not_shown(
        client.get(f"/grants/applications/{application.pk}/offer-letter.pdf"), f"offer-letter-{reference}.pdf"
    )
    page = client.get("/grants/offer-letter/preview/").content.decode()
    assert (
        "Download the preview (PDF)" in page and 'sandbox=""' in page
    )  # the in-page view is a sandboxed frame
    _saved_not_shown(client.get("/grants/offer-letter/preview/?format=pdf"), "offer-letter-preview.pdf")


def test_a_letter_file_name_is_safe_whatever_the_reference(client, world):
    provider, officer = roles(world)
    application = offered(cgs_round(), provider, officer, amount="4000")
    application.award.reference = 'CGS/26"01\\x'
    application.award.save(update_fields=["reference"])
    sign_in(client, provider)
    response = client.get(f"/grants/applications/{application.pk}/offer-letter.pdf")
    assert response["Content-Disposition"] == 'attachment; filename="offer-letter-CGS-26-01-x.pdf"'
