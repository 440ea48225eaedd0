from django.contrib import admin
from django.urls import include, path

from opcc.views import areas, assurance, auth, documents, health, home, organisations, pages, plan

organisation_patterns = (
    [
        path("", organisations.organisation_list, name="list"),
        path("yours/", organisations.my_organisations, name="mine"),
        path("new/", organisations.organisation_create, name="create"),
        path("<int:pk>/", organisations.organisation_detail, name="detail"),
        path("<int:pk>/edit/", organisations.organisation_edit, name="edit"),
        path("<int:pk>/invite/", organisations.invite_contact, name="invite"),
        path("<int:pk>/documents/new/", organisations.upload_document, name="upload-document"),
        path("due-diligence/", assurance.needing_attention, name="due-diligence-list"),
        path("registers/", assurance.register_import, name="register-import"),
        path("<int:pk>/due-diligence/", assurance.due_diligence, name="due-diligence"),
        path("<int:pk>/due-diligence/<slug:kind>/upload/", assurance.upload_evidence, name="evidence-upload"),
        path(
            "<int:pk>/due-diligence/evidence/<int:evidence_pk>/verify/",
            assurance.verify_evidence,
            name="evidence-verify",
        ),
        path("<int:pk>/due-diligence/bank-details/", assurance.bank_details, name="bank-details"),
        path(
            "<int:pk>/due-diligence/bank-details/verify/", assurance.verify_bank_details, name="bank-verify"
        ),
        path("<int:pk>/due-diligence/register-check/", assurance.register_check, name="register-check"),
    ],
    "organisations",
)

area_patterns = (
    [
        path("", areas.area_list, name="list"),
        path("<slug:slug>/", areas.area_detail, name="detail"),
    ],
    "areas",
)

plan_patterns = [
    path("", plan.plan_detail, name="plan"),
    path("edit/", plan.plan_edit, name="plan-edit"),
    path("priorities/new/", plan.priority_form, name="plan-priority-add"),
    path("priorities/<int:pk>/edit/", plan.priority_form, name="plan-priority-edit"),
    path("priorities/<int:pk>/move/", plan.priority_move, name="plan-priority-move"),
    path("priorities/<int:pk>/remove/", plan.priority_remove, name="plan-priority-remove"),
    path("priorities/<int:priority_pk>/objectives/new/", plan.objective_form, name="plan-objective-add"),
    path("objectives/<int:pk>/edit/", plan.objective_form, name="plan-objective-edit"),
    path("objectives/<int:pk>/move/", plan.objective_move, name="plan-objective-move"),
    path("objectives/<int:pk>/remove/", plan.objective_remove, name="plan-objective-remove"),
    path("untagged/", plan.untagged, name="plan-untagged"),
    path("untagged/<slug:kind>/<int:pk>/tag/", plan.tag, name="plan-tag"),
]

urlpatterns = [
    path("", home.root, name="root"),
    path("home/", home.home, name="home"),
    path("sign-in/", auth.SignInView.as_view(), name="sign-in"),
    path("sign-in/two-factor/", auth.two_factor, name="two-factor"),
    path("account/two-factor/set-up/", auth.two_factor_setup, name="two-factor-setup"),
    path("sign-out/", auth.sign_out, name="sign-out"),
    path("account/", auth.account, name="account"),
    path("password-reset/", auth.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent/", auth.PasswordResetSentView.as_view(), name="password-reset-sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("password-reset/done/", auth.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
    path("invitations/<str:token>/", auth.accept_invitation, name="accept-invitation"),
    path("organisations/", include(organisation_patterns)),
    path("areas/", include(area_patterns)),
    path("plan/", include(plan_patterns)),
    path("funding/", include("funding.urls")),
    path("commissioning/", include("commissioning.urls")),
    path("grants/", include("grants.urls")),
    path("", include("reporting.urls")),
    path("documents/<uuid:uuid>/", documents.download, name="document-download"),
    path("accessibility/", pages.accessibility_statement, name="accessibility"),
    path("healthz", health.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says; pages link the SVG and this.
    path("favicon.ico", pages.favicon),
    # The admin site signs people in through the service's own sign-in (lock-out and two-factor).
    path("admin/login/", auth.admin_login),
    path("admin/", admin.site.urls),
]

handler403 = "opcc.views.pages.forbidden"
handler404 = "opcc.views.pages.not_found"
handler500 = "opcc.views.pages.server_error"
