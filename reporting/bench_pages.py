"""The dashboard pages `make bench` measures (bench/run.py collects every app's bench_pages.pages())."""


def pages():
    """(demo email, page name, url) for the dashboards: the pages, filtered, and the heaviest lists."""
    from bench.dataset import LAST_YEAR as y
    from bench.dataset import YEAR_LABEL as label
    from opcc.demo import demo_email
    from opcc.models import Priority

    pcc, finance = demo_email("pcc"), demo_email("finance")
    priority = (
        Priority.objects.filter(plan__is_current=True)
        .order_by("position", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    return [
        (pcc, f"Dashboard: money, {label}", "/dashboard/"),
        (
            pcc,
            "Dashboard: money, filtered by stream and area",
            f"/dashboard/?year={y}&stream=lpcaf&area=herefordshire",
        ),
        (pcc, f"Dashboard: performance, {label}", "/dashboard/performance/"),
        (
            pcc,
            "Dashboard: performance, filtered by stream",
            f"/dashboard/performance/?year={y}&stream=victim_services",
        ),
        (pcc, "Dashboard list: returns overdue", f"/dashboard/lists/returns/?year={y}&timeliness=overdue"),
        (finance, f"Dashboard list: commitments, {label}", f"/dashboard/lists/commitments/?year={y}"),
        (pcc, "Dashboard list: awards rated red", f"/dashboard/lists/awards/?year={y}&rag=red"),
        (pcc, "Dashboard list: outcomes below target", f"/dashboard/lists/outcomes/?year={y}&met=no"),
        (pcc, f"MoJ return, {label}", f"/dashboard/moj-return/?year={y}&period=FY"),
        (pcc, f"MoJ return, Q1 {label}", f"/dashboard/moj-return/?year={y}&period=Q1"),
        (
            pcc,
            "MoJ return list: referrals received",
            f"/dashboard/moj-return/fields/{moj_field()}/?year={y}&period=FY",
        ),
        (pcc, "MoJ return list: returns still missing", f"/dashboard/moj-return/missing/?year={y}&period=FY"),
        (pcc, f"What the money achieves, {label}", "/dashboard/outcomes/"),
        (
            pcc,
            "What the money achieves, filtered by priority and area",
            f"/dashboard/outcomes/?year={y}&priority={priority}&area=herefordshire",
        ),
        (
            pcc,
            "What the money achieves, by service (a page of them)",
            f"/dashboard/outcomes/?year={y}&by=service",
        ),
        (
            pcc,
            "Dashboard list: awards behind a priority's figures",
            f"/dashboard/lists/outcome-awards/?year={y}&priority={priority}",
        ),
        (
            pcc,
            "Dashboard list: returns reporting people supported",
            f"/dashboard/lists/outcome-returns/?year={y}&indicator=people-supported",
        ),
    ]


def moj_field() -> int:
    """The Ministry of Justice return's "Referrals received" field (the first of the defaults' outcome fields)."""
    from reporting.models import MojReturnField

    return (
        MojReturnField.objects.filter(section__key="victims-supported")
        .order_by("position")
        .values_list("pk", flat=True)
        .first()
    )


def jobs():
    """The dashboards at their slowest (the first view after the data changed: every figure recomputed),
    and their downloads: the largest list, as CSV and as XLSX."""
    from bench.dataset import LAST_YEAR as y
    from bench.run import signed_in_client
    from opcc.aggregates import new_version
    from opcc.demo import demo_email

    pcc = signed_in_client(demo_email("pcc"))

    def first_view(url):
        def view():
            new_version()  # as any committed change to the data does
            return pcc.get(url).content

        return view

    return [
        ("Dashboard: money, first view after a change", first_view("/dashboard/")),
        ("Dashboard: performance, first view after a change", first_view("/dashboard/performance/")),
        ("What the money achieves, first view after a change", first_view("/dashboard/outcomes/")),
        (
            "What the money achieves, by service, first view after a change",
            first_view(f"/dashboard/outcomes/?year={y}&by=service"),
        ),
        (
            "What the money achieves export, XLSX",
            lambda: pcc.get(f"/dashboard/outcomes/export.xlsx?year={y}").content,
        ),
        (
            "Dashboard commitments export, CSV",
            lambda: pcc.get(f"/dashboard/lists/commitments/export.csv?year={y}").content,
        ),
        (
            "Dashboard returns export, XLSX",
            lambda: pcc.get(f"/dashboard/lists/returns/export.xlsx?year={y}").content,
        ),
        ("MoJ return, first view after a change", first_view(f"/dashboard/moj-return/?year={y}&period=FY")),
        (
            "MoJ return download, XLSX",
            lambda: pcc.get(f"/dashboard/moj-return/export.xlsx?year={y}&period=FY").content,
        ),
    ]
