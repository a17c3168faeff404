"""Fixtures shared by every package's tests.

zope.pytestlayer makes a fixture once per layer, in the conftest that first
asks for it, and later conftests only refer to it by name. The layers several
packages stack on are therefore made here, where every test directory sees
them; each package's conftest adds its own integration/functional layers.
"""

from dimos.content.testing import DIMOS_CONTENT_FIXTURE
from dimos.policy.testing import DIMOS_POLICY_FIXTURE
from dimos.signing.testing import DIMOS_SIGNING_FIXTURE
from plone.testing.zope import WSGI_SERVER_FIXTURE

import zope.pytestlayer.fixture


globals().update(
    zope.pytestlayer.fixture.create(
        DIMOS_POLICY_FIXTURE, DIMOS_CONTENT_FIXTURE, DIMOS_SIGNING_FIXTURE, WSGI_SERVER_FIXTURE
    )
)
