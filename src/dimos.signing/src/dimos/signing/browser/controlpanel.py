"""``@@signing-controlpanel``: the TSA, the trusted certificates, the public address.

The registry edit form of ISigningSettings; a trust list that is not PEM is
refused next to its field with the reason, and nothing is saved.
"""

from dimos.signing import _
from dimos.signing.browser.common import refusal
from dimos.signing.core.errors import SigningError
from dimos.signing.interfaces import ISigningSettings
from dimos.signing.settings import parse_certificates
from dimos.signing.settings import PREFIX
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.z3cform import layout
from z3c.form import validator
from zope.interface import Invalid
from zope.schema.interfaces import IText


class SigningSettingsForm(RegistryEditForm):
    schema = ISigningSettings
    schema_prefix = PREFIX
    label = _("Signatures: settings")
    description = _(
        "The timestamp authority every signature is timestamped by, the certificates "
        "the municipality trusts, and the address printed in each stamp's QR code."
    )


SigningControlPanel = layout.wrap_form(SigningSettingsForm, ControlPanelFormWrapper)


class TrustRootsValidator(validator.SimpleFieldValidator):
    """The trust list must be PEM certificates (or empty).

    Registered for the form's text fields (a field *instance* as discriminator
    would mark the schema's field, which the registry then copies into its
    records), so it picks the trust list by name.
    """

    def validate(self, value, force=False):
        super().validate(value, force)
        if self.field.__name__ != "trust_roots" or not isinstance(value, str):
            return
        try:
            parse_certificates(value)
        except SigningError as error:
            raise Invalid(refusal(error)) from None


validator.WidgetValidatorDiscriminators(TrustRootsValidator, view=SigningSettingsForm, field=IText)
