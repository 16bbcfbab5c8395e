from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/losenord/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/losenord/klart/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("mal/", include("goals.urls")),
    path("internkontroll/", include("internalcontrol.urls")),
    path("", include("federation.urls")),
]

if settings.DEVTOOLS:  # DEBUG or BENCH only (config/settings.py)
    urlpatterns.insert(0, path("", include("tests.devtools.urls")))
