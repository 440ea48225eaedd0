"""Approving an officer's text for publication, as written or edited by the reviewer."""

from crispy_forms_gds.layout import Field
from django import forms

from opcc.forms import GOVUKForm
from reporting.selectors.public_texts import Source
from reporting.services.public_texts import fingerprint


class ApproveTextForm(GOVUKForm, forms.Form):
    """One textarea per field of the source, filled with the officer's text; a hidden fingerprint of what was read."""

    def __init__(self, *args, source: Source, record, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        layout = []
        for f in source.fields:
            live = getattr(record, f"live_{f.name}") or ""
            self.fields[f"seen_{f.name}"] = forms.CharField(
                widget=forms.HiddenInput, initial=fingerprint(live), required=False
            )
            if not live.strip():  # nothing written: nothing to publish
                layout.append(Field(f"seen_{f.name}"))
                continue
            self.fields[f.name] = forms.CharField(
                label=f.label,
                help_text="What the public will read. Edit it if it names a person or says something that should "
                "stay private.",
                widget=forms.Textarea,
                initial=live,
                required=False,
                strip=False,
            )
            layout += [Field.textarea(f.name, rows=f.rows), Field(f"seen_{f.name}")]
        self._init_helper(*layout)

    def texts(self) -> dict[str, str]:
        return {f.name: self.cleaned_data.get(f.name) or "" for f in self.source.fields}

    def seen(self) -> dict[str, str]:
        return {f.name: self.cleaned_data.get(f"seen_{f.name}") or "" for f in self.source.fields}
