from django.http import HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static


def favicon(request):
    return redirect(static("images/favicon.ico"), permanent=True)


def accessibility_statement(request):
    return render(request, "opcc/accessibility.html")


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


def not_found(request, exception=None):
    response = render(request, "404.html", status=404)
    response.service_page = True  # opcc.middleware.ServiceNotFoundPageMiddleware leaves it alone
    return response


def server_error(request):
    # No context processors: the failure may be in one of them.

    return HttpResponseServerError(loader.get_template("500.html").render({}))


def csrf_failure(request, reason=""):
    return render(request, "csrf_failure.html", status=403)
