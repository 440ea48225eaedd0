from django.urls import path

from grants import views

app_name = "grants"

urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/new/", views.round_form, name="round-create"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/edit/", views.round_form, name="round-edit"),
    path("rounds/<int:pk>/letters/", views.round_letters, name="round-letters"),
    path("offer-letter/", views.letter_template, name="letter-template"),
    path("offer-letter/preview/", views.letter_template_preview, name="letter-template-preview"),
    path("register/", views.register, name="register"),
    path("register/sent/", views.register_sent, name="register-sent"),
    path("apply/", views.apply, name="apply"),
    path("apply/<int:round_pk>/", views.start, name="start"),
    path("applications/", views.mine, name="mine"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/sections/<slug:slug>/", views.section, name="section"),
    path("applications/<int:pk>/plan/", views.plan, name="plan"),
    path("applications/<int:pk>/documents/", views.attachments, name="attachments"),
    path("applications/<int:pk>/submit/", views.submit, name="submit"),
    path("applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("applications/<int:pk>/delete/", views.delete_draft, name="delete"),
    path("applications/<int:pk>/submitted/", views.submitted, name="submitted"),
    path("applications/<int:pk>/offer-letter.pdf", views.offer_letter, name="offer-letter"),
    path("applications/<int:pk>/accept/", views.accept, name="accept"),
    path("applications/<int:pk>/interests/", views.conflict, name="conflict"),
    path("applications/<int:pk>/scores/", views.score, name="score"),
    path("applications/<int:pk>/assessment/", views.assessment, name="assessment"),
    path("applications/<int:pk>/do/<slug:name>/", views.action, name="action"),
    path("applications/<int:pk>/decide/", views.decide, name="decide"),
    path("applications/<int:pk>/area-decision/", views.area_decision, name="area-decision"),
    path("applications/<int:pk>/offer/", views.offer, name="offer"),
    path("area-bids/", views.area_bids, name="area-bids"),
    path("decisions/", views.decisions, name="decisions"),
]
