from django.urls import path

from . import views

app_name = "internalcontrol"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("mina-kontroller/", views.MyChecksView.as_view(), name="my-checks"),
    path("kontroll/<int:pk>/", views.CheckDetailView.as_view(), name="check-detail"),
    path("kontroll/<int:pk>/registrera/", views.CheckLogView.as_view(), name="check-log"),
    path("kontrollmoment/<int:pk>/registrera/", views.CheckEventLogView.as_view(), name="check-log-event"),
    path("kontroll/<int:pk>/andra/", views.CheckCorrectView.as_view(), name="check-correct"),
    path("kontroll/<int:pk>/underlag/", views.EvidenceAddView.as_view(), name="evidence-add"),
    path("avvikelse/<int:pk>/ny-atgard/", views.ActionAddView.as_view(), name="action-add"),
    path("atgarder/", views.ActionListView.as_view(), name="actions"),
    path("risker/", views.RiskListView.as_view(), name="risks"),
    path("atgard/<int:pk>/klar/", views.ActionDoneView.as_view(), name="action-done"),
    path("oversikt/", views.YearOverviewView.as_view(), name="overview"),
    path("plan/<int:pk>/anta/", views.PlanDecisionView.as_view(), name="plan-adopt"),
    path("plan/<int:pk>/avrapportera/", views.PlanDecisionView.as_view(report=True), name="plan-report"),
    path("bevispaket/", views.EvidencePackView.as_view(), name="evidence-pack"),
    path("bevispaket/<int:pk>/", views.EvidencePackStatusView.as_view(), name="evidence-pack-status"),
    path("bevispaket/<int:pk>/status.json", views.EvidencePackProgressView.as_view(), name="evidence-pack-progress"),
    path("bevispaket/<int:pk>/fil/", views.EvidencePackDownloadView.as_view(), name="evidence-pack-download"),
    path(
        "plan/<int:pk>/anta/tjansteskrivelse/",
        views.PlanDecisionDraftView.as_view(kind="adopt"),
        name="plan-adopt-draft",
    ),
    path(
        "plan/<int:pk>/avrapportera/tjansteskrivelse/",
        views.PlanDecisionDraftView.as_view(kind="report"),
        name="plan-report-draft",
    ),
    path("underlag/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence-download"),
]
