from django.http import HttpResponse


def floor_view(request):
    """The benchmark's floor: a fixed text through the same middleware (login included)."""
    return HttpResponse("ok", content_type="text/plain")
