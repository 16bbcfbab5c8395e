"""The admin's "Historik" pages under the app's rules: people by full name, times in Stockholm.

``SimpleHistoryAdmin`` here is django-simple-history's, with the change list's old → new values
formatted by ``federation.people``; its list template (templates/simple_history/) names the person
who made each change the same way. Admin classes import it from here."""

import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import formats
from simple_history import admin as simple_history_admin
from simple_history.template_utils import HistoricalRecordContextHelper

from .people import local_time, person_name


class PeopleAndLocalTimes(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        if isinstance(value, AbstractBaseUser):
            return person_name(value)
        if isinstance(value, datetime.datetime):
            return formats.localize(local_time(value))
        return super().prepare_delta_change_value(change, value)


class SimpleHistoryAdmin(simple_history_admin.SimpleHistoryAdmin):
    def get_historical_record_context_helper(self, request, historical_record):
        return PeopleAndLocalTimes(self.model, historical_record)
