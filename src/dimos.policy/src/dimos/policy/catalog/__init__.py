# Importing the pipeline module registers its elements with ZCTextIndex's
# element factory, before any lexicon is unpickled or (re)built.
from dimos.policy.catalog import pipeline  # noqa: F401
