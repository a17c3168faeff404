"""Demo records for `make start`: a fictional council, applications, a legal case, a permit."""


def create_demo_content(context):
    """Filled in by the demo content change."""
