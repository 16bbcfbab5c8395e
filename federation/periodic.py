from django.conf import settings
from django_celery_beat.models import CrontabSchedule, PeriodicTask


def install_periodic_tasks():
    """Create the periodic tasks of settings.PERIODIC_TASKS where missing; never overwrite an admin's change."""
    for name, spec in settings.PERIODIC_TASKS.items():
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        crontab, _ = CrontabSchedule.objects.get_or_create(**spec["crontab"], timezone=settings.TIME_ZONE)
        PeriodicTask.objects.create(name=name, task=spec["task"], crontab=crontab)
