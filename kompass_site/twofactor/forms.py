from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """A six-digit code from the app, or (when asked for a login) a recovery code."""

    code = forms.CharField(
        label=_("Kod"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        # As people copy them: "123 456", "ABCD-EFGH".
        return "".join(ch for ch in self.cleaned_data["code"] if ch.isalnum()).lower()
