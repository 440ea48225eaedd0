from django.urls import path

from grants.views import (
    answers,
    application,
    area,
    assessment,
    decisions,
    offers,
    office,
    portal,
    rounds,
    variations,
)

app_name = "grants"

urlpatterns = [
    path("", office.index, name="index"),
    path("rounds/new/", rounds.round_form, name="round-create"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round"),
    path("rounds/<int:pk>/edit/", rounds.round_form, name="round-edit"),
    path("rounds/<int:pk>/letters/", rounds.round_letters, name="round-letters"),
    path("offer-letter/", rounds.letter_template, name="letter-template"),
    path("offer-letter/preview/", rounds.letter_template_preview, name="letter-template-preview"),
    path("register/", portal.register, name="register"),
    path("register/sent/", portal.register_sent, name="register-sent"),
    path("apply/", portal.apply, name="apply"),
    path("apply/<int:round_pk>/", portal.start, name="start"),
    path("applications/", portal.mine, name="mine"),
    path("applications/<int:pk>/", application.application_detail, name="application"),
    path("applications/<int:pk>/sections/<slug:slug>/", answers.section, name="section"),
    path("applications/<int:pk>/plan/", answers.plan, name="plan"),
    path("applications/<int:pk>/documents/", answers.attachments, name="attachments"),
    path("applications/<int:pk>/submit/", answers.submit, name="submit"),
    path("applications/<int:pk>/withdraw/", portal.withdraw, name="withdraw"),
    path("applications/<int:pk>/delete/", portal.delete_draft, name="delete"),
    path("applications/<int:pk>/submitted/", portal.submitted, name="submitted"),
    path("applications/<int:pk>/offer-letter.pdf", offers.offer_letter, name="offer-letter"),
    path("applications/<int:pk>/accept/", offers.accept, name="accept"),
    path("applications/<int:pk>/interests/", assessment.conflict, name="conflict"),
    path("applications/<int:pk>/scores/", assessment.score, name="score"),
    path("applications/<int:pk>/assessment/", assessment.assessment, name="assessment"),
    path("applications/<int:pk>/do/<slug:name>/", assessment.action, name="action"),
    path("applications/<int:pk>/decide/", decisions.decide, name="decide"),
    path("applications/<int:pk>/area-decision/", area.area_decision, name="area-decision"),
    path("applications/<int:pk>/offer/", offers.offer, name="offer"),
    path("area-bids/", area.area_bids, name="area-bids"),
    path("decisions/", decisions.decisions, name="decisions"),
]

# Variations of an active grant.
urlpatterns += [
    path("awards/<int:award_pk>/variations/", variations.award_variations, name="award-variations"),
    path("awards/<int:award_pk>/variations/new/", variations.variation_new, name="variation-new"),
    path("variations/", variations.variations_waiting, name="variations"),
    path("variations/<int:pk>/", variations.variation_detail, name="variation"),
    path("variations/<int:pk>/decide/", variations.variation_decide, name="variation-decide"),
    path("variations/<int:pk>/letter.pdf", variations.variation_letter, name="variation-letter"),
    path("variations/<int:pk>/accept/", variations.variation_accept, name="variation-accept"),
    path("variations/<int:pk>/withdraw/", variations.variation_withdraw, name="variation-withdraw"),
]
