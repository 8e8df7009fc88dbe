import pytest
from django.core.exceptions import ImproperlyConfigured

from console import environments


class TestBuiltIn:
    def test_the_embedded_sandbox_comes_first_with_its_client_id(self, settings):
        settings.SANDBOX_BASE_URL = "http://127.0.0.1:8001/sandbox/"
        settings.SANDBOX_CLIENT_ID = "CLIENT-123"

        first = environments.all_environments()[0]

        assert first == environments.Environment(
            id="sandbox",
            name="Embedded sandbox",
            base_url="http://127.0.0.1:8001/sandbox",
            group="Embedded",
            client_id="CLIENT-123",
            roles="DevCenterImpersonate FullAccess",
        )
        assert environments.default() == first

    def test_switched_off_the_sandbox_is_gone_and_us_west_sandbox_comes_first(self, settings):
        settings.SANDBOX_ENABLED = False

        envs = environments.all_environments()

        assert environments.get("sandbox") is None
        assert "sandbox" not in [env.id for env in envs]
        assert environments.default() == envs[0] == environments.get("uswest-sandbox")
        assert [group for group, _ in environments.grouped()][0] == "OrderCloud US West"

    def test_ordercloud_regions_times_stages(self):
        envs = environments.all_environments()[1:]

        assert [(e.id, e.name, e.base_url) for e in envs] == [
            ("uswest-sandbox", "US West · Sandbox", "https://sandboxapi.ordercloud.io"),
            ("uswest-staging", "US West · Staging", "https://stagingapi.ordercloud.io"),
            ("uswest-production", "US West · Production", "https://api.ordercloud.io"),
            ("useast-sandbox", "US East · Sandbox", "https://useast-sandbox.ordercloud.io"),
            ("useast-staging", "US East · Staging", "https://useast-staging.ordercloud.io"),
            (
                "useast-production",
                "US East · Production",
                "https://useast-production.ordercloud.io",
            ),
            (
                "australiaeast-sandbox",
                "Australia East · Sandbox",
                "https://australiaeast-sandbox.ordercloud.io",
            ),
            (
                "australiaeast-staging",
                "Australia East · Staging",
                "https://australiaeast-staging.ordercloud.io",
            ),
            (
                "australiaeast-production",
                "Australia East · Production",
                "https://australiaeast-production.ordercloud.io",
            ),
            (
                "westeurope-sandbox",
                "Europe West · Sandbox",
                "https://westeurope-sandbox.ordercloud.io",
            ),
            (
                "westeurope-staging",
                "Europe West · Staging",
                "https://westeurope-staging.ordercloud.io",
            ),
            (
                "westeurope-production",
                "Europe West · Production",
                "https://westeurope-production.ordercloud.io",
            ),
            (
                "japaneast-sandbox",
                "Japan East · Sandbox",
                "https://japaneast-sandbox.ordercloud.io",
            ),
            (
                "japaneast-staging",
                "Japan East · Staging",
                "https://japaneast-staging.ordercloud.io",
            ),
            (
                "japaneast-production",
                "Japan East · Production",
                "https://japaneast-production.ordercloud.io",
            ),
        ]
        assert all(e.client_id == "" and e.roles == "FullAccess" for e in envs)

    def test_parts_of_an_environment(self):
        env = environments.get("uswest-sandbox")

        assert (env.scheme, env.host, env.hostname, env.port, env.base_path) == (
            "https",
            "sandboxapi.ordercloud.io",
            "sandboxapi.ordercloud.io",
            443,
            "",
        )

    def test_lookup_by_id_only(self):
        assert environments.get("uswest-production").base_url == "https://api.ordercloud.io"
        assert environments.get("https://api.ordercloud.io") is None
        assert environments.get("") is None
        assert environments.get(None) is None

    def test_grouped_for_the_picker(self):
        groups = environments.grouped()

        assert [name for name, _ in groups] == [
            "Embedded",
            "OrderCloud US West",
            "OrderCloud US East",
            "OrderCloud Australia East",
            "OrderCloud Europe West",
            "OrderCloud Japan East",
        ]
        assert [len(envs) for _, envs in groups] == [1, 3, 3, 3, 3, 3]


class TestConfigured:
    def test_added_after_the_built_in_ones(self, settings):
        settings.CONSOLE_ENVIRONMENTS = [
            {"id": "acme-qa", "name": " Acme QA ", "base_url": "https://QA.acme.example:8443/api/"},
            {
                "id": "local",
                "name": "Local",
                "base_url": "http://localhost:9000",
                "client_id": "C1",
            },
        ]

        acme, local = environments.all_environments()[-2:]

        assert acme == environments.Environment(
            id="acme-qa",
            name="Acme QA",
            base_url="https://qa.acme.example:8443/api",
            group="Configured",
        )
        assert (acme.host, acme.port, acme.base_path) == ("qa.acme.example:8443", 8443, "/api")
        assert (local.base_url, local.client_id, local.port) == (
            "http://localhost:9000",
            "C1",
            9000,
        )
        assert environments.get("local") == local
        assert environments.grouped()[-1] == ("Configured", [acme, local])

    def test_a_default_port_is_dropped(self, settings):
        settings.CONSOLE_ENVIRONMENTS = [
            {"id": "x", "name": "X", "base_url": "https://api.example.com:443"}
        ]

        assert environments.get("x").base_url == "https://api.example.com"
        assert environments.get("x").host == "api.example.com"

    def test_json_text_is_accepted(self, settings):
        settings.CONSOLE_ENVIRONMENTS = '[{"id": "x", "name": "X", "base_url": "https://h"}]'

        assert environments.get("x").base_url == "https://h"

    @pytest.mark.parametrize(
        ("config", "message"),
        [
            ("[", "CONSOLE_ENVIRONMENTS is not valid JSON: Expecting value: line 1 column 2"),
            ({"id": "x"}, "CONSOLE_ENVIRONMENTS must be a JSON list of"),
            (["x"], 'CONSOLE_ENVIRONMENTS[0] must be an object with "id", "name", "base_url".'),
            ([{"id": "x", "name": "X"}], "CONSOLE_ENVIRONMENTS[0] is missing base_url."),
            (
                [{"id": "x", "name": "X", "base_url": "https://h", "token": "t"}],
                "CONSOLE_ENVIRONMENTS[0] has unknown keys: token.",
            ),
            (
                [{"id": "Bad Id", "name": "X", "base_url": "https://h"}],
                "CONSOLE_ENVIRONMENTS[0].id 'Bad Id' must be 1-63 lowercase letters, digits",
            ),
            (
                [{"id": "sandbox", "name": "X", "base_url": "https://h"}],
                "CONSOLE_ENVIRONMENTS[0].id 'sandbox' is already used.",
            ),
            (
                [
                    {"id": "x", "name": "X", "base_url": "https://h"},
                    {"id": "x", "name": "Y", "base_url": "https://i"},
                ],
                "CONSOLE_ENVIRONMENTS[1].id 'x' is already used.",
            ),
            (
                [{"id": "x", "name": " ", "base_url": "https://h"}],
                "CONSOLE_ENVIRONMENTS[0].name must be a non-empty string.",
            ),
            (
                [{"id": "x", "name": "X", "base_url": "https://h", "client_id": 3}],
                "CONSOLE_ENVIRONMENTS[0].client_id must be a string.",
            ),
            (
                [{"id": "x", "name": "X", "base_url": "ftp://h"}],
                "CONSOLE_ENVIRONMENTS[0].base_url 'ftp://h' must start with https:// or http://.",
            ),
            (
                [{"id": "x", "name": "X", "base_url": "h.example.com"}],
                "must start with https:// or http://.",
            ),
            ([{"id": "x", "name": "X", "base_url": "http:///path"}], "has no host."),
            (
                [{"id": "x", "name": "X", "base_url": "https://user:pw@h"}],
                "must not contain a user name or password.",
            ),
            ([{"id": "x", "name": "X", "base_url": "https://h:99999"}], "is not a valid URL"),
            ([{"id": "x", "name": "X", "base_url": "https://h?x=1"}], "must not have a query"),
            ([{"id": "x", "name": "X", "base_url": "https://h/#x"}], "must not have a query"),
            ([{"id": "x", "name": "X", "base_url": "https://h/a/../b"}], "'..' or %-encoded"),
            ([{"id": "x", "name": "X", "base_url": "https://h//a"}], "has a path with empty"),
            ([{"id": "x", "name": "X", "base_url": "https://h/%2e%2e"}], "%-encoded segments"),
            ([{"id": "x", "name": "X", "base_url": "https://h\\@evil"}], "backslashes"),
            ([{"id": "x", "name": "X", "base_url": "https://h/a b"}], "must not contain spaces"),
            ([{"id": "x", "name": "X", "base_url": "https://h/\n"}], "control characters"),
            ([{"id": "x", "name": "X", "base_url": ""}], "must be a non-empty string"),
        ],
    )
    def test_bad_config_is_improperly_configured(self, settings, config, message):
        settings.CONSOLE_ENVIRONMENTS = config

        with pytest.raises(ImproperlyConfigured) as raised:
            environments.all_environments()

        assert message in str(raised.value)

    @pytest.mark.parametrize(
        "base_url",
        [
            "http://api.example.com",
            "http://10.0.0.8:8000",
            "http://169.254.169.254",
            "http://127.0.0.1.nip.io",  # resolves to loopback: a name is not an address
            "http://localhost.evil.example",
            "http://[::ffff:10.0.0.1]",
        ],
    )
    def test_plain_http_only_on_this_machine(self, settings, base_url):
        settings.CONSOLE_ENVIRONMENTS = [{"id": "x", "name": "X", "base_url": base_url}]

        with pytest.raises(ImproperlyConfigured) as raised:
            environments.all_environments()

        assert str(raised.value) == (
            f"CONSOLE_ENVIRONMENTS[0].base_url {base_url!r} must use https://: http:// is "
            "allowed only on this machine (localhost, 127.0.0.0/8 or [::1]), where nothing "
            "travels over a network."
        )

    @pytest.mark.parametrize(
        "base_url",
        ["http://localhost:9000", "http://127.0.0.1", "http://127.8.9.10:81/x", "http://[::1]:8"],
    )
    def test_plain_http_on_loopback_is_fine(self, settings, base_url):
        settings.CONSOLE_ENVIRONMENTS = [{"id": "x", "name": "X", "base_url": base_url}]

        assert environments.get("x").base_url == base_url

    def test_the_sandbox_url_is_held_to_the_same_rules(self, settings):
        settings.SANDBOX_BASE_URL = "http://sandbox.internal:8001"

        with pytest.raises(ImproperlyConfigured, match="SANDBOX_BASE_URL .* must use https://"):
            environments.get("sandbox")

    def test_a_bad_sandbox_url_is_improperly_configured(self, settings):
        settings.SANDBOX_BASE_URL = "127.0.0.1:8001/sandbox"

        with pytest.raises(ImproperlyConfigured, match="SANDBOX_BASE_URL '127.0.0.1:8001/sandbox'"):
            environments.get("sandbox")
