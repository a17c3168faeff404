from dimos.policy.testing import DIMOS_POLICY_FUNCTIONAL_TESTING
from dimos.policy.testing import DIMOS_POLICY_INTEGRATION_TESTING
from pytest_plone import fixtures_factory


globals().update(
    fixtures_factory(
        (
            (DIMOS_POLICY_FUNCTIONAL_TESTING, "functional"),
            (DIMOS_POLICY_INTEGRATION_TESTING, "integration"),
        )
    )
)
