"""The dashboard pages `make bench` measures (bench/run.py collects every app's bench_pages.pages())."""


def pages():
    """(demo email, page name, url) for the dashboards: both pages, filtered, and the heaviest lists."""
    from opcc.demo import demo_email

    pcc, finance = demo_email("pcc"), demo_email("finance")
    return [
        (pcc, "Dashboard: money, 2026/27", "/dashboard/"),
        (pcc, "Dashboard: money, filtered by stream and area", "/dashboard/?year=2026&stream=lpcaf&area=herefordshire"),
        (pcc, "Dashboard: performance, 2026/27", "/dashboard/performance/"),
        (pcc, "Dashboard: performance, filtered by stream", "/dashboard/performance/?year=2026&stream=victim_services"),
        (pcc, "Dashboard list: returns overdue", "/dashboard/lists/returns/?year=2026&timeliness=overdue"),
        (finance, "Dashboard list: commitments, 2026/27", "/dashboard/lists/commitments/?year=2026"),
        (pcc, "Dashboard list: awards rated red", "/dashboard/lists/awards/?year=2026&rag=red"),
        (pcc, "Dashboard list: outcomes below target", "/dashboard/lists/outcomes/?year=2026&met=no"),
    ]


def jobs():
    """The dashboards at their slowest (the first view after the data changed: every figure recomputed),
    and their downloads: the largest list, as CSV and as XLSX."""
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
        ("Dashboard commitments export, CSV", lambda: pcc.get("/dashboard/lists/commitments/export.csv?year=2026").content),
        ("Dashboard returns export, XLSX", lambda: pcc.get("/dashboard/lists/returns/export.xlsx?year=2026").content),
    ]
