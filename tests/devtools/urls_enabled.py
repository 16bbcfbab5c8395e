"""The product's URLs with the devtools' ones in front, as config/urls.py has them when DEBUG or BENCH is set."""

from django.urls import include, path

from config.urls import urlpatterns as product_urlpatterns

urlpatterns = [path("", include("tests.devtools.urls")), *product_urlpatterns]
