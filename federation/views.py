from django.utils import timezone
from django.views.generic import TemplateView

from .models import FollowUp
from .selectors import current_fiscal_year, roles_held_by, units_led_by


class HomeView(TemplateView):
    """Översikt: where the year stands. The dashboard issue fills it out."""

    template_name = "federation/home.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        year = current_fiscal_year(today)
        return super().get_context_data(
            fiscal_year=year,
            follow_ups=FollowUp.objects.filter(fiscal_year=year).select_related("fiscal_year") if year else [],
            roles=roles_held_by(user=self.request.user, on=today),
            units=units_led_by(user=self.request.user, on=today),
            **kwargs,
        )


class ReportsView(TemplateView):
    template_name = "federation/reports.html"
