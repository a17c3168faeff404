"""REST services (plone.restapi) of the payments."""
