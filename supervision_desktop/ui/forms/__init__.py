"""Forms generated from templates: a field-kind → widget factory and the form view.

``FormView(template, choices)`` builds the whole form; ``fields.make_editor`` builds the
widget for one field; ``values`` holds the Qt-free rules for what people type.
"""

from supervision_desktop.ui.forms.choices import FormChoices, Subject, load_choices
from supervision_desktop.ui.forms.form_view import FormView

__all__ = ["FormChoices", "FormView", "Subject", "load_choices"]
