"""Install handler of dimos.signing: the folder the signed documents are kept in."""

from dimos.signing.plan import signed_documents_folder


def post_install(context):
    signed_documents_folder()
