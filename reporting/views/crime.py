"""Crime trends from police.uk data, and importing it and ONS's population estimates: thin views over reporting.crime."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from funding.models import FinancialYear
from opcc.calendar import financial_year_of
from opcc.models import LocalPolicingArea
from opcc.paging import page_of
from opcc.permissions import require_view_perm
from reporting.crime import importer, population
from reporting.forms.crime import CrimeUploadForm, PopulationUploadForm, TrendFilterForm
from reporting.models import CrimeImport, LocalAuthorityPopulation, PopulationImport
from reporting.selectors import crime as selectors
from reporting.views.dashboards import subnav as dashboard_subnav

# While an import runs, its page asks the browser to reload it every few seconds (an HTTP Refresh header rather
# than a <meta> tag, with a link to stop it: the person stays in control of the page).
REFRESH_SECONDS = 3


@login_required
def trends(request):
    require_view_perm(request, "reporting.view_crime_trends")
    areas = list(LocalPolicingArea.objects.order_by("name"))
    years = list(FinancialYear.objects.order_by("-start_year"))
    today = timezone.localdate()
    form = TrendFilterForm(
        request.GET or None, areas=areas, years=years, default_year=financial_year_of(today)
    )
    slug, crime_type = form.value("area"), form.value("crime_type")
    months_count, start_year = int(form.value("months")), int(form.value("year"))
    shown = [a for a in areas if a.slug == slug] if slug else areas
    first, latest = selectors.data_range()
    months = selectors.month_list(latest, months_count, first) if latest else []
    figures = selectors.comparison(
        areas=areas, shown=shown, months=months, crime_type=crime_type, start_year=start_year
    )
    chosen = {"area": slug, "crime_type": crime_type, "months": str(months_count), "year": str(start_year)}
    filters = [
        {
            "name": name,
            "label": form.fields[name].label,
            "options": [
                (value, label, str(value) == chosen[name]) for value, label in form.fields[name].choices
            ],
        }
        for name in chosen
    ]
    return render(
        request,
        "reporting/crime/trends.html",
        {
            "form": form,
            "figures": figures,
            "charts": figures.charts(),
            "months": months,
            "latest": latest,
            "first": first,
            "months_count": months_count,
            "crime_type": crime_type,
            "year_label": f"{start_year} to {start_year + 1}",
            "filters": filters,
            "last_import": CrimeImport.objects.filter(status=CrimeImport.Status.DONE)
            .select_related("by")
            .first(),
            "can_import": request.user.has_perm("reporting.import_crime"),
            "subnav": dashboard_subnav(),
            "active": "crime",
        },
    )


@login_required
def population_page(request):
    """The ONS mid-year estimates behind crimes per 1,000 residents: what is imported, and importing a year."""
    require_view_perm(request, "reporting.import_population")
    posted = request.method == "POST"
    form = PopulationUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            record = population.import_estimates(
                data=form.data_bytes,
                name=form.file_name,
                by=request.user,
                year=form.cleaned_data["year"],
                estimates=form.estimates,
            )
        except (
            population.NotAPopulationFileError
        ) as exc:  # the areas changed between the check and the import
            form.add_error("file", exc.problems)
        else:
            messages.success(
                request,
                f"The mid-{record.year} population estimates are imported: "
                f"{record.total:,} residents in West Mercia's {record.authorities} local "
                "authorities.",
            )
            return redirect("reporting:crime-population")
    figures = LocalAuthorityPopulation.objects.select_related("area").order_by("-year", "area__name", "name")
    latest_year = figures.values_list("year", flat=True).first()
    imports = page_of(request, PopulationImport.objects.select_related("by", "document"), per_page=10)
    rows = list(figures.filter(year=latest_year)) if latest_year else []
    return render(
        request,
        "reporting/crime/population.html",
        {
            "form": form,
            "imports": imports,
            "latest_year": latest_year,
            "rows": rows,
            "total": sum(r.population for r in rows),
        },
    )


@login_required
def import_page(request):
    require_view_perm(request, "reporting.import_crime")
    posted = request.method == "POST"
    form = CrimeUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        record = importer.start_import(data=form.data_bytes, name=form.file_name, by=request.user)
        return redirect("reporting:crime-import-status", pk=record.pk)
    recent = page_of(request, CrimeImport.objects.select_related("by"), per_page=10)
    return render(request, "reporting/crime/import.html", {"form": form, "recent": recent})


@login_required
def import_status(request, pk):
    record = get_object_or_404(CrimeImport.objects.select_related("by", "document"), pk=pk)
    require_view_perm(request, "reporting.view_crimeimport", record)
    watching = record.is_running and request.GET.get("watch") != "off"
    response = render(
        request,
        "reporting/crime/import_status.html",
        {
            "record": record,
            "watching": watching,
            "refresh_seconds": REFRESH_SECONDS,
        },
    )
    if watching:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response
