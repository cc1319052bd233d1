"""Names staff write once in the shop's own language and translate into the others.

A translated name is its base text (the model's `name`, in `LANGUAGE_CODE`'s language) plus a
JSON object of translations by language code: `{"de": "Küche", "ar": "المطبخ"}`. Pages and the
API show the active language's translation and fall back to the base name; stored snapshots
(an order's shipping method) keep the base name and its translations as they were.
"""

from collections.abc import Mapping

from django import forms
from django.conf import settings
from django.utils.text import capfirst, format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def base_language() -> str:
    """The language of the base names: `LANGUAGE_CODE` without its region (`en`)."""
    return settings.LANGUAGE_CODE.split("-")[0].lower()


def translation_languages() -> list[tuple[str, str]]:
    """The languages a name can be translated into: every shop language but the base one."""
    return [(code, name) for code, name in settings.LANGUAGES if code != base_language()]


def localized(base: str, translations: Mapping[str, str] | None) -> str:
    """Return the name in the active language: its translation if there is one, else `base`."""
    if not translations:
        return base
    language = (get_language() or settings.LANGUAGE_CODE).lower()
    for code in (language, language.split("-")[0]):
        text = translations.get(code)
        if isinstance(text, str) and text.strip():
            return text.strip()
    return base


def clean_translations(value: object) -> dict[str, str]:
    """Keep only non-empty text for the shop's translation languages."""
    if not isinstance(value, Mapping):
        return {}
    codes = {code for code, _name in translation_languages()}
    return {
        code: text.strip()
        for code, text in value.items()
        if code in codes and isinstance(text, str) and text.strip()
    }


def translated_name_form(
    model,
    *,
    field: str = "name_translations",
    base: str = "name",
    label=None,
    max_length: int = 100,
) -> type[forms.ModelForm]:
    """An admin form for `model` with one text box per translation language ("Name (Deutsch)")
    in place of the JSON field `field`; an empty box falls back to the base name."""
    boxes = {f"{base}_{code}": code for code, _name in translation_languages()}
    base_label = label or model._meta.get_field(base).verbose_name

    def __init__(self, *args, **kwargs):
        forms.ModelForm.__init__(self, *args, **kwargs)
        stored = getattr(self.instance, field, None) or {}
        for box, code in boxes.items():
            self.fields[box].initial = stored.get(code, "")

    def clean(self):
        cleaned = forms.ModelForm.clean(self)
        stored = dict(getattr(self.instance, field, None) or {})
        for box, code in boxes.items():
            stored[code] = cleaned.get(box, "")
        setattr(self.instance, field, clean_translations(stored))
        return cleaned

    # The model's own fields, with the boxes right after the base name.
    order: list[str] = []
    for model_field in model._meta.concrete_fields:
        if model_field.editable and not model_field.auto_created and model_field.name != field:
            order.append(model_field.name)
            if model_field.name == base:
                order.extend(boxes)
    attrs = {
        "Meta": type("Meta", (), {"model": model, "fields": order}),
        "__init__": __init__,
        "clean": clean,
        "__module__": model.__module__,
    }
    for box, code in boxes.items():
        attrs[box] = forms.CharField(
            label=format_lazy("{} ({})", capfirst(base_label), dict(settings.LANGUAGES)[code]),
            required=False,
            max_length=max_length,
            widget=forms.TextInput(attrs={"lang": code, "dir": "auto"}),
            help_text=_(
                "Shown to shoppers in this language; left empty, they see the name above."
            ),
        )
    return type(forms.ModelForm)(f"{model.__name__}TranslatedNameForm", (forms.ModelForm,), attrs)
