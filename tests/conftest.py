import pytest


def pytest_configure():
    # Tests render templates without running collectstatic first.
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _no_upstream_env(settings):
    """Tests never see environments configured on the machine that runs them."""
    settings.CONSOLE_ENVIRONMENTS = []
