"""Install handler of dimos.digitization: the workers' service account."""

from dimos.digitization.account import ensure_service_user


def post_install(context):
    ensure_service_user()
