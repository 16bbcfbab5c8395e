from django.urls import path

from . import views

app_name = "devtools"

urlpatterns = [
    path("matning/golv/", views.floor_view, name="floor"),
]
