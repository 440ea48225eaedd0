"""The medium-term financial plan's pages `make bench` measures (bench/run.py collects every app's bench_pages.pages());
the funding overview (with the years ahead), the pot page (with its commitments by year) and the award page are
bench/run.py's own rows."""


def pages():
    """(demo email, page name, url)."""
    from bench.dataset import measured_award
    from opcc.demo import demo_email

    finance, officer = demo_email("finance"), demo_email("officer")
    award = measured_award()
    rows = [
        (finance, "The years ahead (medium-term financial plan)", "/funding/years-ahead/"),
        (officer, "The years ahead, as an officer reads it", "/funding/years-ahead/"),
        (finance, "Add a year to the plan (the form)", "/funding/years-ahead/add/"),
    ]
    if award is not None:
        rows.append(
            (
                finance,
                "Move an award's money between years (the form)",
                f"/funding/awards/{award.pk}/reprofile/",
            )
        )
    return rows
