from django.urls import path

from . import views

app_name = "goals"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("min-enhet/", views.MyUnitView.as_view(), name="my_unit"),
    path("min-enhet/skicka-in/", views.SubmitView.as_view(), name="submit"),
    path("uppfoljning/<int:pk>/godkann/", views.ApproveView.as_view(), name="approve"),
    path("att-godkanna/", views.ApprovalListView.as_view(), name="approvals"),
    path("att-godkanna/godkann/", views.ApproveView.as_view(), name="approve_many"),
    path("att-godkanna/<int:pk>/", views.SubmissionView.as_view(), name="submission"),
    path("att-godkanna/<int:pk>/skicka-tillbaka/", views.SendBackView.as_view(), name="send_back"),
    path("matetal/<int:pk>/", views.IndicatorView.as_view(), name="indicator"),
    path("matetal/<int:pk>/utfall/", views.OutcomeUpdateView.as_view(), name="outcome_update"),
    path("<slug:kind>/<int:pk>/", views.ItemView.as_view(), name="item"),
    path("<slug:kind>/<int:pk>/bedomning/", views.AssessmentUpdateView.as_view(), name="assessment_update"),
]
