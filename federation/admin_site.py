"""The admin as the förbundsdirektör reads it: Swedish sections in the domain's order.

The index shows Förbundet, Mål, Internkontroll and Påminnelser, in that order, and — for superusers
only — one "Teknik" section with the libraries' own tables (inloggningsförsök, Celery, behörighetsgrupper).
A technical model is not only hidden from everyone else: its admin refuses them (``SuperuserOnlyAdmin``).

Sections name apps and models by label, so this module imports no domain app (tests/federation/test_layering.py)."""

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .navigation import viewer

# (section name, [(app_label, model_name or None for "every other model of the app", display name or None)])
SECTIONS = [
    (
        _("Förbundet"),
        [
            ("federation", "federation", None),
            ("federation", "municipality", None),
            ("federation", "unit", None),
            ("federation", "role", None),
            ("federation", "roleassignment", None),
            ("auth", "user", _("Användarkonton")),
            ("federation", "fiscalyear", None),
            ("federation", "followup", None),
            ("federation", "decisionbody", None),
            ("federation", "decision", None),
            ("federation", "reportexport", None),
            ("federation", None, None),  # a model added later, not placed elsewhere
        ],
    ),
    (_("Mål"), [("goals", None, None)]),
    (_("Internkontroll"), [("internalcontrol", None, None)]),
    (
        _("Påminnelser"),
        [
            ("federation", "remindersettings", None),
            ("federation", "remindermail", None),
            ("federation", "remindersent", None),
        ],
    ),
]
# Names that would otherwise read the same as another's ("Grupper" was both auth's and the plan's).
LABELS = {("internalcontrol", "controlgroup"): _("Grupper av granskningsområden")}
TECHNICAL_SECTION = _("Teknik")
# Technical tables: shown and reachable for superusers only, under TECHNICAL_SECTION.
TECHNICAL = [
    ("auth", "group", _("Behörighetsgrupper")),
    ("auth", "permission", _("Behörigheter")),
    ("axes", "accessattempt", _("Inloggningsförsök")),
    ("axes", "accessfailurelog", _("Misslyckade inloggningar")),
    ("axes", "accesslog", _("Inloggningslogg")),
    ("django_celery_beat", "periodictask", _("Schemalagda uppgifter")),
    ("django_celery_beat", "crontabschedule", _("Scheman (crontab)")),
    ("django_celery_beat", "intervalschedule", _("Scheman (intervall)")),
    ("django_celery_beat", "clockedschedule", _("Scheman (tidpunkt)")),
    ("django_celery_beat", "solarschedule", _("Scheman (solhändelser)")),
    ("django_celery_results", "taskresult", _("Uppgiftsresultat")),
    ("django_celery_results", "groupresult", _("Gruppresultat (Celery)")),
]
TECHNICAL_APPS = {"axes", "django_celery_beat", "django_celery_results"}


def is_technical(model) -> bool:
    opts = model._meta
    return opts.app_label in TECHNICAL_APPS or any(
        (opts.app_label, opts.model_name) == (app, name) for app, name, _label in TECHNICAL
    )


class SuperuserOnlyAdmin:
    """Mixed into every technical model's admin: nobody but a superuser sees or changes it,
    whatever permissions a group gives."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request, *args):
        return self.has_module_permission(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request) and super().has_delete_permission(request, obj)


class LockReasonAdminForm(forms.ModelForm):
    """The admin form of a model that locks (a reported plan, a closed year): the förbundsdirektör's
    reason for changing it anyway, kept in the history (``access.lock_override_reason``)."""

    change_reason = forms.CharField(
        label=_("Anledning till ändringen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Krävs när planen är avrapporterad eller året stängt; sparas i historiken."),
    )


class ActionCheckboxMixin:
    """The change list's action checkbox, Django's own markup written by one ``format_html`` per row.

    Django renders it as a form widget through the template engine, about 0.2 ms a row: 10 ms of the check
    list's 50 rows at factor 10 (docs/performance.md). For the lists that grow with the year's checks."""

    def action_checkbox(self, obj):
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )


def guarded_form(base, guard):
    """``base`` with ``guard(form)`` run after the model's own validation; its ValidationError becomes
    the form's (in Swedish), and what it returns is kept as ``form.lock_override``."""
    from django.core.exceptions import ValidationError

    class Form(base):
        lock_override = False

        def _post_clean(self):
            super()._post_clean()
            if self._errors:
                return
            try:
                self.lock_override = guard(self)
            except ValidationError as error:
                self.add_error(None, error)

    return Form


class FederationAdminSite(admin.AdminSite):
    site_header = _("Boråsregionen – måluppfyllelse och intern kontroll")
    site_title = _("Administration")
    index_title = _("Administration")

    def register(self, model_or_iterable, admin_class=None, **options):
        models = [model_or_iterable] if hasattr(model_or_iterable, "_meta") else list(model_or_iterable)
        for model in models:
            cls = admin_class or admin.ModelAdmin
            if is_technical(model) and not issubclass(cls, SuperuserOnlyAdmin):
                cls = type(cls.__name__, (SuperuserOnlyAdmin, cls), {"__module__": cls.__module__})
            super().register(model, cls, **options)

    def has_permission(self, request):
        """Django's rule; and an admitted user's viewer is read here, once per request, so that the models'
        permission checks (``is_director`` for every model of the side bar) answer from it instead of asking
        the database each."""
        admitted = super().has_permission(request)
        if admitted:
            viewer(request)
        return admitted

    def index_title_for(self, request):
        """The index says whose administration it is: the director's, a superuser's, or the user's roles (as
        the request's viewer read them)."""
        who = viewer(request)
        if who.user.is_superuser:
            return _("Administration (superanvändare)")
        if who.is_director:
            return _("Förbundsdirektörens administration")
        roles = [role.name for role in who.roles]
        if roles:
            return _("Administration – %(roles)s") % {"roles": ", ".join(roles)}
        return self.index_title

    def index(self, request, extra_context=None):
        return super().index(request, {"title": self.index_title_for(request), **(extra_context or {})})

    def get_app_list(self, request, app_label=None):
        """The index and the side bar: the domain's sections in order (an app's own page stays per app)."""
        app_dict = self._build_app_dict(request, app_label)
        if app_label is not None:
            return super().get_app_list(request, app_label)
        models = {
            (app["app_label"], model["object_name"].lower()): (app, model)
            for app in app_dict.values()
            for model in app["models"]
        }
        explicit = {(app, name) for _section, entries in SECTIONS for app, name, _label in entries} | {
            (app, name) for app, name, _label in TECHNICAL
        }
        sections = []
        technical = [*TECHNICAL, *((app, None, None) for app in sorted(TECHNICAL_APPS))]
        for name, entries in [*SECTIONS, (TECHNICAL_SECTION, technical)]:
            rows = []
            for app_label_, model_name, label in entries:
                if model_name is None:
                    # In the order the app registers them: the domain's order.
                    keys = [key for key in models if key[0] == app_label_ and key not in explicit]
                else:
                    keys = [(app_label_, model_name)] if (app_label_, model_name) in models else []
                for key in keys:
                    app, model = models.pop(key)
                    rows.append((app, {**model, "name": label or LABELS.get(key, model["name"])}))
            if rows:
                first_app = rows[0][0]
                sections.append(
                    {
                        "name": name,
                        "app_label": first_app["app_label"],
                        "app_url": first_app["app_url"],
                        "has_module_perms": True,
                        "models": [model for _app, model in rows],
                    }
                )
        # Anything registered later and not placed above goes last, under its app's own name.
        for app in sorted(app_dict.values(), key=lambda a: str(a["name"]).lower()):
            rest = [model for key, (owner, model) in models.items() if owner is app]
            if rest:
                sections.append({**app, "models": sorted(rest, key=lambda m: str(m["name"]).lower())})
        return sections


class MappedImportAdminMixin:
    """An admin page that imports a file with a dry-run preview and the mapping step (one row per column of
    the file, the field it is read as, pre-selected from the synonyms or the remembered layout): the file is
    kept between the steps (``federation.forms.upload_keep``); every bad row is listed and nothing is stored.
    The admin gives the form, the fields, the page and what an import runs (``import_run``) and does once it
    is stored (``import_done``)."""

    import_kind = ""  # the kept uploads' and the remembered layouts' kind
    import_fields = ()  # what a column can be read as
    import_form_class = None  # with at least file, token, year and dry_run
    import_template = ""
    import_title = ""

    def import_run(self, request, data, *, name, content, mapping):
        """Run the import (or its dry run) of ``content``; return its result or raise ValidationError."""
        raise NotImplementedError

    def import_done(self, request, result, data):
        """The response once a real import has stored everything."""
        raise NotImplementedError

    def import_page(self, request):
        from django.core.exceptions import ValidationError
        from django.shortcuts import render

        from .forms import column_mapping_formset, mapping_step_posted, upload_forget, upload_keep, upload_read
        from .sheets import ignored_headers

        result, mapping_formset = None, None
        form = self.import_form_class(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            upload, token = data["file"], data["token"]
            if upload is not None:
                token = upload_keep(self.import_kind, upload.name, upload.read())
            stored = upload_read(self.import_kind, token)
            mapping = {}
            if mapping_step_posted(request.POST) and upload is None:
                mapping_formset = column_mapping_formset(fields=self.import_fields, data=request.POST)
                mapping = mapping_formset.mapping() if mapping_formset.is_valid() else None
            if stored is None:
                form.add_error("file", _("Välj filen att läsa in."))
            elif mapping is not None:
                name, content = stored
                try:
                    result = self.import_run(request, data, name=name, content=content, mapping=mapping)
                except ValidationError as error:
                    form.add_error(None, error.messages)
                else:
                    if result.ok and not result.dry_run:
                        upload_forget(self.import_kind, token)
                        return self.import_done(request, result, data)
                    mapping_formset = column_mapping_formset(fields=self.import_fields, columns=result.columns)
            if stored is not None:
                form = self.import_form_class(initial={**data, "file": None, "token": token})
        ignored = ignored_headers(result.columns) if result else []
        return render(
            request,
            self.import_template,
            {"title": self.import_title, "form": form, "result": result, "opts": self.model._meta,
             "mapping": mapping_formset, "ignored": ignored, **self.admin_site.each_context(request)},
        )  # fmt: skip
