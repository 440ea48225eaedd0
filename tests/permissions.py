"""The permission matrix: for every named URL the app has, who gets in and who does not.

`test_permission_matrix.py` walks the URL resolver, so a URL added by any issue fails the suite until
its row is written here. A row says how to build the URL's arguments from the test world and what each
kind of visitor gets: 200 (in), 403 (refused), 404 (not even told it exists), LOGIN (sent to sign-in),
REDIRECT (sent elsewhere), 405 (POST only) or 410 (gone).
"""

from opcc.models import Role

LOGIN = "login"
REDIRECT = "redirect"

ANON = "anonymous"
OTHER_PROVIDER = "other_provider"
VISITORS = [ANON, *[r.value for r in Role], OTHER_PROVIDER]

OFFICE = {
    Role.COMMISSIONING_OFFICER,
    Role.HEAD_OF_COMMISSIONING,
    Role.PCC,
    Role.FINANCE_OFFICER,
    Role.AUDITOR,
}
OFFICERS = {Role.COMMISSIONING_OFFICER, Role.HEAD_OF_COMMISSIONING}
AREA_DECIDERS = {Role.COMMUNITY_AMBASSADOR, Role.AREA_COMMANDER}
SIGNED_IN = set(Role) | {OTHER_PROVIDER}
STAFF = set(Role) - {Role.PROVIDER}
HEAD = {Role.HEAD_OF_COMMISSIONING}


def expect(default, anonymous=LOGIN, **by_visitor):
    """Expected status per visitor: `default` for every signed-in visitor not named."""
    table = {v: default for v in VISITORS}
    table[ANON] = anonymous
    table.update({str(k): v for k, v in by_visitor.items()})
    return table


def only(allowed: set, status_in=200, status_out=403, anonymous=LOGIN, **extra):
    table = {v: (status_in if v in {str(a) for a in allowed} else status_out) for v in VISITORS}
    table[ANON] = anonymous
    table.update(extra)
    return table


# url name -> (function(world) -> kwargs, expectations)
MATRIX = {
    "root": (lambda w: {}, expect(REDIRECT, anonymous=REDIRECT)),
    "home": (lambda w: {}, expect(200)),
    "sign-in": (lambda w: {}, expect(REDIRECT, anonymous=200)),
    "two-factor": (lambda w: {}, expect(REDIRECT)),  # already verified: straight on
    "two-factor-setup": (lambda w: {}, expect(200)),
    "sign-out": (lambda w: {}, expect(405, anonymous=405)),
    "account": (lambda w: {}, expect(200)),
    "password-reset": (lambda w: {}, expect(200, anonymous=200)),
    "password-reset-sent": (lambda w: {}, expect(200, anonymous=200)),
    "password-reset-confirm": (lambda w: {"uidb64": "MQ", "token": "bad-token"}, expect(200, anonymous=200)),
    "password-reset-complete": (lambda w: {}, expect(200, anonymous=200)),
    "accept-invitation": (lambda w: {"token": w.invitation_token}, expect(200, anonymous=200)),
    "accessibility": (lambda w: {}, expect(200, anonymous=200)),
    "healthz": (lambda w: {}, expect(200, anonymous=200)),
    "organisations:list": (lambda w: {}, only(OFFICE)),
    "organisations:mine": (lambda w: {}, only({Role.PROVIDER, OTHER_PROVIDER}, status_out=REDIRECT)),
    "organisations:create": (lambda w: {}, only(OFFICERS)),
    "organisations:detail": (
        lambda w: {"pk": w.organisation.pk},
        only(OFFICE | {Role.PROVIDER}, status_out=403, other_provider=404),
    ),
    "organisations:edit": (
        lambda w: {"pk": w.organisation.pk},
        only(OFFICERS | {Role.PROVIDER}, other_provider=404),
    ),
    "organisations:invite": (
        lambda w: {"pk": w.organisation.pk},
        only(OFFICERS | {Role.PROVIDER}, other_provider=404),
    ),
    "organisations:upload-document": (
        lambda w: {"pk": w.organisation.pk},
        only(OFFICERS | {Role.PROVIDER}, other_provider=404),
    ),
    # Due diligence: the office reads every organisation's checks, its own people theirs (another's: 404); members
    # send evidence, administrators bank details; officers verify, list and import the registers.
    "organisations:due-diligence-list": (lambda w: {}, only(OFFICE)),
    "organisations:register-import": (lambda w: {}, only(OFFICERS)),
    "organisations:due-diligence": (
        lambda w: {"pk": w.organisation.pk},
        only(OFFICE | {Role.PROVIDER}, other_provider=404),
    ),
    "organisations:evidence-upload": (
        lambda w: {"pk": w.organisation.pk, "kind": "insurance"},
        only(OFFICERS | {Role.PROVIDER}, other_provider=404),
    ),
    "organisations:evidence-verify": (
        lambda w: {"pk": w.organisation.pk, "evidence_pk": w.organisation.evidence.first().pk},
        only(OFFICERS, other_provider=404),
    ),
    "organisations:bank-details": (
        lambda w: {"pk": w.organisation.pk},
        only(OFFICERS | {Role.PROVIDER}, other_provider=404),
    ),
    "organisations:bank-verify": (
        lambda w: {"pk": w.organisation.pk},
        only(OFFICERS, other_provider=404),
    ),
    "organisations:register-check": (
        lambda w: {"pk": w.organisation.pk},
        expect(405),
    ),
    "areas:list": (lambda w: {}, only(OFFICE | AREA_DECIDERS)),
    "areas:detail": (
        lambda w: {"slug": w.other_area.slug},
        only(OFFICE, community_ambassador=404, area_commander=404),
    ),
    "document-download": (
        lambda w: {"uuid": w.document.uuid},
        only(OFFICE | {Role.PROVIDER}, status_out=404),
    ),
    # The Police and Crime Plan: every member of staff reads it; the head keeps it; the office lists untagged records,
    # officers tag them.
    "plan": (lambda w: {}, only(STAFF)),
    "plan-untagged": (lambda w: {}, only(OFFICE)),
    "plan-edit": (lambda w: {}, only(HEAD)),
    "plan-priority-add": (lambda w: {}, only(HEAD)),
    "plan-priority-edit": (lambda w: {"pk": w.priority.pk}, only(HEAD)),
    "plan-priority-remove": (lambda w: {"pk": w.priority.pk}, only(HEAD)),
    "plan-priority-move": (lambda w: {"pk": w.priority.pk}, expect(405)),
    "plan-objective-add": (lambda w: {"priority_pk": w.priority.pk}, only(HEAD)),
    "plan-objective-edit": (lambda w: {"pk": w.objective.pk}, only(HEAD)),
    "plan-objective-remove": (lambda w: {"pk": w.objective.pk}, only(HEAD)),
    "plan-objective-move": (lambda w: {"pk": w.objective.pk}, expect(405)),
    "plan-tag": (lambda w: {"kind": "commission", "pk": w.c_tender.pk}, only(OFFICERS)),
    # The admin site: officers only; everyone else is sent to sign in (Django admin's own check).
    "admin:index": (lambda w: {}, only(OFFICERS, status_out=REDIRECT, anonymous=REDIRECT)),
    "admin:opcc_messagetemplate_changelist": (
        lambda w: {},
        only(OFFICERS, status_out=REDIRECT, anonymous=REDIRECT),
    ),
}


def _app_rows():
    """Each app's rows live in tests/<app>/permissions.py as MATRIX, using the helpers above."""

    rows = {}
    for module in permission_modules():
        rows.update(module.MATRIX)
    return rows


def permission_modules():
    """tests/<app>/permissions.py and any tests/<app>/permissions_<part>.py, in app order."""
    import pkgutil
    from importlib import import_module
    from pathlib import Path

    modules = []
    for label in ("funding", "commissioning", "grants", "reporting"):
        folder = Path(__file__).resolve().parent / label
        names = sorted(
            m.name for m in pkgutil.iter_modules([str(folder)]) if m.name.startswith("permissions")
        )
        modules.extend(import_module(f"tests.{label}.{name}") for name in names)
    return modules


MATRIX.update(_app_rows())

# Admin URLs other than the two above are Django's own (every model's add/change/history pages) and
# are guarded by the same admin-site check; the matrix covers the site's entrance and the one page
# staff use. Each is still reached below by the admin entrance rule.
IGNORED_PREFIXES = ("admin:",)
