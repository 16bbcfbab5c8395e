from django.urls import path

from . import navigation, views

app_name = "federation"

urlpatterns = [
    # "/" is each user's own start page (the översikt itself for the förbundsdirektör and the readers).
    path("", views.landing, name="landing"),
    path("oversikt/", views.HomeView.as_view(), name="home"),
    path("ingen-roll/", navigation.no_role, name="no_role"),
    path("rapporter/", views.ReportsView.as_view(), name="reports"),
    path("rapporter/forhandsgranska/", views.ReportPreviewView.as_view(), name="report_preview"),
    path("rapporter/export/", views.ReportExportView.as_view(), name="report_export_create"),
    path("rapporter/export/<int:pk>/", views.ReportExportStatusView.as_view(), name="report_export"),
    path(
        "rapporter/export/<int:pk>/status.json", views.ReportExportProgressView.as_view(), name="report_export_progress"
    ),
    path("rapporter/export/<int:pk>/fil/", views.ReportDownloadView.as_view(), name="report_download"),
]
