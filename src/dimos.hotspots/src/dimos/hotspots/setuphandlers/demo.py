"""The hotspots demo (``dimos.hotspots:demo``, run by ``make start``). TO BE WRITTEN by the UI helper."""


def post_demo(context):
    pass
