from django.urls import path

from . import views

app_name = "federation"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("start/", views.landing, name="landing"),
    path("rapporter/", views.ReportsView.as_view(), name="reports"),
    path("rapporter/forhandsgranska/", views.ReportPreviewView.as_view(), name="report_preview"),
    path("rapporter/export/", views.ReportExportView.as_view(), name="report_export_create"),
    path("rapporter/export/<int:pk>/", views.ReportExportStatusView.as_view(), name="report_export"),
    path(
        "rapporter/export/<int:pk>/status.json", views.ReportExportProgressView.as_view(), name="report_export_progress"
    ),
    path("rapporter/export/<int:pk>/fil/", views.ReportDownloadView.as_view(), name="report_download"),
]
