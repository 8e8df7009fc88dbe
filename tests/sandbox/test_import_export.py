"""manage.py import_marketplace / export_marketplace: OrderCloud's seeding format in and out,
checked through the API."""

from io import StringIO
from pathlib import Path

import pytest
import requests
import yaml
from django.core.management import CommandError, call_command

from sandbox.models import ApiClient, Marketplace, SpecOption, User
from sandbox.seeding import seedfile
from sandbox.seeding.calls import operation
from sandbox.seeding.demo import seed_demo
from tests.sandbox.conftest import TOKEN_URL, post_token

DATA = Path(__file__).parent / "data" / "marketplace.yml"
V1 = "/sandbox/v1"


def run(command, *args):
    out, err = StringIO(), StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue()


def import_file(path, *args):
    """Import `path`; the command's output and the new organization."""
    before = set(Marketplace.objects.values_list("pk", flat=True))
    out = run("import_marketplace", str(path), *args)
    return out, Marketplace.objects.exclude(pk__in=before).get()


def write(tmp_path, text, name="market.yml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def data_sections():
    return seedfile.read(DATA.read_bytes())


# --- reading the API back --------------------------------------------------------------------


def dev_center_token(client, marketplace) -> str:
    """A DevCenterImpersonate token for the organization, as its owner signs in."""
    api_client = marketplace.api_clients.filter(active=True, allow_seller=True).order_by("pk")[0]
    form = {
        "grant_type": "password",
        "client_id": api_client.oc_id,
        "username": "demo",
        "password": "demo-password",
        "scope": "DevCenterImpersonate FullAccess",
    }
    if api_client.client_secret:
        form["client_secret"] = api_client.client_secret
    response = post_token(client, **form)
    assert response.status_code == 200, response.json()
    return response.json()["access_token"]


def list_over_http(client, token, path, query=()) -> list:
    items, page = [], 1
    while True:
        response = client.get(
            f"{V1}{path}",
            {**dict(query), "page": page, "pageSize": 100},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 200, (path, response.json())
        body = response.json()
        items += body["Items"]
        if page >= body["Meta"]["TotalPages"]:
            return items
        page += 1


def the_api(client, marketplace) -> dict:
    """Every kind the sandbox lists, as the API returns it: {kind: [item, ...]} (items
    under a parent get the parent's field, as in the format)."""
    token = dev_center_token(client, marketplace)
    listed: dict[str, list] = {}
    for kind in seedfile.KINDS:
        lister = operation(kind.list)
        if lister is None:
            continue
        combinations = [{}]
        for param in lister.path_params:
            parents = listed[seedfile.PARENTS[param]]
            combinations = [{**c, param: parent["ID"]} for c in combinations for parent in parents]
        listed[kind.name] = []
        for params in combinations:
            path = lister.path.format(**params)
            fields = {seedfile.field_of(param): value for param, value in params.items()}
            for item in list_over_http(client, token, path, kind.list_query):
                if kind.listed_as:  # the other side of a link: its ID only
                    item = {kind.listed_as: item["ID"]}
                listed[kind.name].append({**item, **fields})
    return listed


def expected(record: dict, marketplace) -> dict:
    """What the API returns of a file's record: the fields given, placeholder resolved,
    the write-only password left out."""
    out = {}
    for name, value in record.items():
        if name == "Password":
            continue
        out[name] = marketplace.oc_id if value == seedfile.MARKETPLACE_PLACEHOLDER else value
    return out


def contains(actual, wanted) -> bool:
    """Whether `actual` holds what `wanted` gives (objects: at least its fields)."""
    if isinstance(wanted, dict):
        return isinstance(actual, dict) and all(
            name in actual and contains(actual[name], value) for name, value in wanted.items()
        )
    if isinstance(wanted, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(wanted)
            and all(contains(a, w) for a, w in zip(actual, wanted, strict=True))
        )
    return actual == wanted


def by_kind(sections: dict) -> dict[str, list]:
    """A file's records by kind, inline ones (a product's Variants) moved out."""
    records: dict[str, list] = {}
    for section, names in sections.items():
        for name, items in names.items():
            records.setdefault(seedfile.find_kind(section, name).name, []).extend(items)
    for kind in seedfile.KINDS:
        for parent in records.get(kind.inline_in, []) if kind.inline_in else []:
            for item in parent.pop(kind.name, []):
                field = seedfile.field_of(operation(kind.list).path_params[0])
                records.setdefault(kind.name, []).append({**item, field: parent["ID"]})
    return records


def missing_records(api: dict, sections: dict, marketplace) -> list:
    """The file's records the API does not return (as `kind: record`)."""
    return [
        f"{name}: {record}"
        for name, records in by_kind(sections).items()
        for record in records
        if not any(contains(item, expected(record, marketplace)) for item in api[name])
    ]


def kinds_in(sections) -> set[str]:
    """The kinds a file has records of (inline ones included)."""
    given = {
        seedfile.find_kind(section, name).name
        for section, names in sections.items()
        for name, records in names.items()
        if records
    }
    return given | {
        kind.name
        for kind in seedfile.KINDS
        if kind.inline_in
        and any(kind.name in record for record in sections["Objects"].get(kind.inline_in, []))
    }


def test_the_data_file_has_every_resource_the_sandbox_has():
    given = kinds_in(data_sections())

    loadable = {
        kind.name
        for kind in seedfile.KINDS
        if operation(kind.save) and (not kind.generated_by or operation(kind.generated_by))
    }

    assert loadable - given == set()


@pytest.mark.django_db
class TestImport:
    def test_every_record_is_there_afterwards_through_the_api(self, client):
        seed_demo()

        out, marketplace = import_file(DATA)

        assert missing_records(the_api(client, marketplace), data_sections(), marketplace) == []
        assert marketplace.owner.username == "demo"
        assert marketplace.name == "marketplace"
        assert "Could not load" not in out

    def test_it_prints_the_organization_and_its_api_clients_last(self):
        seed_demo()

        out, marketplace = import_file(DATA, "--name", "Acme test")

        lines = out.splitlines()
        assert lines[-6:] == [
            f"Organization ID: {marketplace.oc_id} (Acme test)",
            "Sign in with DevCenterImpersonate: username demo, the account's password, roles"
            " DevCenterImpersonate FullAccess, on an API client marked * (with its client"
            " secret when it has one)",
            "API clients:",
            "  * Back office: 1A2B3C4D-5E6F-4A8B-9C0D-E1F2A3B4C5D6 (has a client secret)",
            "    Storefront: 0E6C7B5A-1F3D-4B8E-9C2A-7D4E5F6A7B8C",
            "    Supplier portal: 2B3C4D5E-6F70-4B8C-9D0E-F1A2B3C4D5E7",
        ]
        assert lines[0] == f"Loading {DATA} into a new organization owned by demo..."
        assert "  Users: 3 of 3" in lines

    def test_the_default_admin_user_is_the_files_first_with_full_access(self):
        seed_demo()

        _, marketplace = import_file(DATA)

        assert marketplace.default_admin_user.oc_id == "ops-admin"

    def test_passwords_in_the_file_sign_users_in(self, client):
        seed_demo()
        _, marketplace = import_file(DATA)

        response = post_token(
            client,
            grant_type="password",
            client_id="0E6C7B5A-1F3D-4B8E-9C2A-7D4E5F6A7B8C",
            username="amy",
            password="amy-password-1",
        )

        assert response.status_code == 200
        me = client.get(
            f"{V1}/me", headers={"Authorization": f"Bearer {response.json()['access_token']}"}
        ).json()
        assert (me["ID"], me["Buyer"]["ID"]) == ("acme-amy", "acme")
        assert me["AvailableRoles"] == [
            "Shopper",
            "MeAdmin",
            "MeAddressAdmin",
            "MeXpAdmin",
            "PasswordReset",
            "can-review",
        ]

    def test_an_owner_other_than_the_demo_account(self):
        seed_demo()
        call_command("import_marketplace", str(DATA), stdout=StringIO())
        from tests.sandbox import factories

        ada = factories.account("ada")

        _, marketplace = import_file(DATA, "--owner", "ada")

        assert marketplace.owner == ada

    def test_an_unknown_owner_is_refused_before_anything_is_read(self):
        seed_demo()

        with pytest.raises(CommandError, match="No developer account 'nobody'"):
            run("import_marketplace", str(DATA), "--owner", "nobody")

        assert Marketplace.objects.count() == 1

    def test_without_the_demo_account_it_says_to_seed_first(self):
        with pytest.raises(CommandError) as raised:
            run("import_marketplace", str(DATA))

        assert str(raised.value) == (
            "No developer account 'demo' (run `manage.py seed_sandbox` first, or give --owner)."
        )

    def test_taken_client_ids_are_replaced_and_followed(self):
        seed_demo()
        import_file(DATA)

        out, second = import_file(DATA)

        clients = {c.app_name: c.oc_id for c in second.api_clients.all()}
        assert set(clients.values()).isdisjoint(
            {
                "0E6C7B5A-1F3D-4B8E-9C2A-7D4E5F6A7B8C",
                "1A2B3C4D-5E6F-4A8B-9C0D-E1F2A3B4C5D6",
                "2B3C4D5E-6F70-4B8C-9D0E-F1A2B3C4D5E7",
            }
        )
        assert (
            f"ApiClients 'Storefront': ID 0E6C7B5A-1F3D-4B8E-9C2A-7D4E5F6A7B8C is taken (IDs of"
            f" ApiClients are global); it is now {clients['Storefront']}." in out.splitlines()
        )
        config = second.impersonation_configs.get()
        assert config.client_id == clients["Storefront"]
        assignments = second.api_client_assignments.order_by("buyer_id")
        assert [(a.api_client.oc_id, a.buyer_id, a.supplier_id) for a in assignments] == [
            (clients["Supplier portal"], "", "north-mill"),
            (clients["Storefront"], "acme", ""),
        ]

    def test_a_file_without_admin_users_gets_a_default_admin_and_a_client(self, tmp_path, client):
        seed_demo()
        path = write(tmp_path, "Objects:\n  Buyers:\n    - {ID: b1, Name: One, Active: true}\n")

        out, marketplace = import_file(path)

        admin = marketplace.default_admin_user
        assert (admin.oc_id, admin.username, admin.user_type) == (
            "default-admin",
            "default-admin",
            User.Type.ADMIN,
        )
        api_client = marketplace.api_clients.get()
        assert (api_client.app_name, api_client.allow_seller, api_client.active) == (
            "Admin Access",
            True,
            True,
        )
        assert (
            "Added admin user default-admin with security profile full-access (FullAccess), the"
            " default admin user that DevCenterImpersonate signs in as." in out.splitlines()
        )
        assert (
            f"Added API client {api_client.oc_id} (Admin Access), which lets admin users sign in."
            in out.splitlines()
        )
        token = dev_center_token(client, marketplace)
        me = client.get(f"{V1}/me", headers={"Authorization": f"Bearer {token}"}).json()
        assert (me["ID"], me["AvailableRoles"]) == ("default-admin", ["FullAccess"])

    def test_a_redacted_client_secret_gets_a_new_one(self, tmp_path):
        seed_demo()
        path = write(
            tmp_path,
            "Objects:\n  ApiClients:\n    - AppName: Middleware\n      AccessTokenDuration: 600\n"
            "      Active: true\n      AllowSeller: true\n"
            "      ClientSecret: <Redacted. Leave unchanged.>\n",
        )

        out, marketplace = import_file(path)

        secret = marketplace.api_clients.get().client_secret
        assert len(secret) >= 40 and secret != seedfile.REDACTED
        assert (
            "ApiClients 'Middleware': its ClientSecret was redacted in the file; it has a new one."
            in out.splitlines()
        )

    def test_the_placeholder_is_the_new_organization(self, tmp_path):
        seed_demo()
        path = write(
            tmp_path,
            "Objects:\n  Buyers:\n    - {ID: b1, Name: '<MarketplaceID placeholder>'}\n",
        )

        _, marketplace = import_file(path)

        assert marketplace.buyers.get().name == marketplace.oc_id

    def test_long_files_show_progress(self, tmp_path):
        seed_demo()
        lines = [f"    - {{ID: n{i}, LastNumber: 0, LeftPaddingCount: 0}}" for i in range(1200)]
        path = write(tmp_path, "Objects:\n  Incrementors:\n" + "\n".join(lines) + "\n")

        out, _ = import_file(path)

        assert out.splitlines()[1:4] == [
            "  Incrementors: 500 of 1,200",
            "  Incrementors: 1,000 of 1,200",
            "  Incrementors: 1,200 of 1,200",
        ]

    def test_options_only_in_a_specs_read_only_options_are_reported(self, tmp_path):
        seed_demo()
        path = write(
            tmp_path,
            "Objects:\n  Specs:\n    - ID: color\n      Name: Color\n      Options:\n"
            "        - {ID: red, Value: Red}\n        - {ID: blue, Value: Blue}\n"
            "  SpecOptions:\n    - {ID: red, Value: Red, SpecID: color}\n",
        )
        err = StringIO()

        with pytest.raises(CommandError, match="1 records could not be loaded"):
            call_command("import_marketplace", str(path), stdout=StringIO(), stderr=err)

        assert err.getvalue().splitlines() == [
            "Could not load 1 records:",
            "  SpecOptions (SpecID color, ID blue): only in the read-only Options of Specs:"
            " give it as a SpecOptions record to load it.",
        ]
        marketplace = Marketplace.objects.exclude(oc_id="demo-marketplace").get()
        assert [o.oc_id for o in SpecOption.objects.filter(marketplace=marketplace)] == ["red"]

    def test_records_of_resources_the_sandbox_lacks_are_counted(self, tmp_path):
        seed_demo()
        path = write(
            tmp_path,
            "Objects:\n  Promotions:\n    - {ID: p1, Code: SAVE}\n    - {ID: p2, Code: MORE}\n"
            "  CostCenters: []\nAssignments:\n  PromotionAssignment:\n"
            "    - {PromotionID: p1, BuyerID: b1}\n",
        )

        out, _ = import_file(path)

        assert (
            "Not loaded, the sandbox does not have these resources yet: Promotions (2),"
            " PromotionAssignments (1)" in out.splitlines()
        )


# --- broken files --------------------------------------------------------------------------


@pytest.mark.django_db
class TestBrokenFiles:
    @pytest.mark.parametrize(
        ("text", "message"),
        [
            (
                "Objects:\n  Buyers: [\n",
                "is not valid YAML: did not find expected node content at line 3, column 1",
            ),
            (
                "Objects:\n\tBuyers: []\n",
                "is not valid YAML: found character that cannot start any token at line 2,",
            ),
            ("- 1\n- 2\n", "is not a marketplace: expected a mapping with Objects and Assignments"),
            ("", "is not a marketplace: expected a mapping with Objects and Assignments"),
            ("Buyers: []\n", "is not a marketplace: unknown top-level key 'Buyers'"),
            ("Objects: [1, 2]\n", "is Objects must map resource names to lists of records"),
            ("Objects:\n  Buyers: {ID: b1}\n", "is Objects.Buyers must be a list of records"),
            ("Objects:\n  Buyers: !!binary aGVsbG8=\n", "is not the format: a bytes value"),
            ("Objects:\n  Buyers: !!set {a}\n", "is not the format: a set value"),
        ],
    )
    def test_a_file_that_is_not_the_format_loads_nothing(self, tmp_path, text, message):
        seed_demo()
        path = write(tmp_path, text)

        with pytest.raises(CommandError) as raised:
            run("import_marketplace", str(path))

        assert message in str(raised.value)
        assert str(raised.value).endswith("Nothing was loaded.")
        assert Marketplace.objects.count() == 1

    def test_invalid_yaml_after_valid_records_loads_nothing(self, tmp_path):
        seed_demo()
        path = write(tmp_path, "Objects:\n  Buyers:\n    - {ID: b1, Name: One}\n  Users: [\n")

        with pytest.raises(CommandError, match="not valid YAML"):
            run("import_marketplace", str(path))

        assert Marketplace.objects.count() == 1
        assert not User.objects.exclude(marketplace__oc_id="demo-marketplace").exists()

    def test_a_missing_file(self, tmp_path):
        seed_demo()

        with pytest.raises(CommandError, match=r"Cannot read .*nope.yml: No such file"):
            run("import_marketplace", str(tmp_path / "nope.yml"))

    def test_each_refused_record_is_reported_with_why_and_the_rest_loads(self, tmp_path):
        seed_demo()
        path = write(
            tmp_path,
            """\
Objects:
  Buyers:
    - {ID: b1, Name: One, Active: true}
    - {ID: b2}
    - {ID: 'bad id', Name: Two}
    - 42
    - {ID: b3, Name: Three, DateCreated: yesterday}
  Users:
    - {ID: u1, Username: u1, FirstName: A, LastName: B, Email: a@x.io, Active: true, BuyerID: b1}
    - {ID: u2, Username: u2, FirstName: A, LastName: B, Active: true, BuyerID: b1}
    - {ID: u3, Username: u3, FirstName: A, LastName: B, Email: c@x.io, Active: true}
    - {ID: u4, Username: u4, FirstName: A, LastName: B, Email: d@x.io, Active: true, BuyerID: nope}
    - {ID: u5, Username: u1, FirstName: A, LastName: B, Email: e@x.io, Active: true, BuyerID: b1}
    - {ID: u6, Username: u6, FirstName: A, LastName: B, Email: f@x.io, Shoe: 9, BuyerID: b1}
  Prodcts:
    - {ID: p1}
Assignments:
  UserGroupAssignments:
    - {UserGroupID: g1, UserID: u1, BuyerID: b1}
""",
        )
        out, err = StringIO(), StringIO()

        with pytest.raises(CommandError) as raised:
            call_command("import_marketplace", str(path), stdout=out, stderr=err)

        assert str(raised.value) == (
            "10 records could not be loaded (listed above); the organization holds the rest."
        )
        assert err.getvalue().splitlines() == [
            "Could not load 10 records:",
            "  Buyers #2 (ID b2): ValidationFailure: Name is required.",
            "  Buyers #3 (ID bad id): ValidationFailure: ID can only contain letters, digits"
            " and '-', '_', '.', '~', '@'.",
            "  Buyers #4: not a record but a number",
            "  Buyers #5 (ID b3): ValidationFailure: DateCreated must be an ISO 8601 date and"
            " time.",
            "  Users #2 (ID u2): ValidationFailure: Email is required.",
            "  Users #3 (ID u3): BuyerID is required: it names where the record belongs.",
            "  Users #4 (ID u4): NotFound: Buyer not found: nope",
            "  Users #5 (ID u5): User.UsernameMustBeUnique: Username must be unique: u1",
            "  Users #6 (ID u6): ValidationFailure: Shoe is not a valid property.",
            "  UserGroupAssignments #1 (UserGroupID g1, UserID u1, BuyerID b1): NotFound:"
            " UserGroup not found: g1",
        ]
        assert (
            "Not loaded, not names of the seeding format: Objects.Prodcts (1)"
            in out.getvalue().splitlines()
        )
        marketplace = Marketplace.objects.exclude(oc_id="demo-marketplace").get()
        assert list(marketplace.buyers.values_list("oc_id", flat=True)) == ["b1"]
        assert list(
            marketplace.users.filter(user_type="buyer").values_list("oc_id", flat=True)
        ) == ["u1"]


# --- export ----------------------------------------------------------------------------------


@pytest.mark.django_db
class TestExport:
    def test_export_then_import_gives_the_same_marketplace(self, client, tmp_path):
        seed_demo()
        _, first = import_file(DATA)
        exported = tmp_path / "exported.yml"
        run("export_marketplace", first.oc_id, str(exported))

        _, second = import_file(exported)

        before, after = the_api(client, first), the_api(client, second)
        # ClientIDs are global: the second organization's clients have new ones.
        renamed = {
            new: old
            for old, new in (
                (c.oc_id, second.api_clients.get(app_name=c.app_name).oc_id)
                for c in first.api_clients.all()
            )
        }
        assert len(renamed) == 3
        renamed[second.oc_id] = first.oc_id  # and the organization is another
        assert rename(after, renamed) == before
        assert all(before[kind] for kind in kinds_in(data_sections()))

    def test_the_file_is_the_format_with_placeholders_and_parents(self, tmp_path):
        seed_demo()
        _, marketplace = import_file(DATA)
        path = tmp_path / "out.yml"

        out = run("export_marketplace", marketplace.oc_id, str(path))

        written = yaml.safe_load(path.read_text())
        assert list(written) == ["Objects", "Assignments"]
        users = written["Objects"]["Users"]
        assert [(u["ID"], u["BuyerID"]) for u in users] == [
            ("acme-amy", "acme"),
            ("acme-bob", "acme"),
            ("globex-gus", "globex"),
        ]
        assert "Password" not in users[0]
        assert written["Assignments"]["SupplierBuyerAssignments"] == [
            {"SupplierID": "north-mill", "BuyerID": "acme"}
        ]
        assert out.startswith(f"Wrote {marketplace.oc_id} to {path}: Incrementors 1, ")

    def test_to_standard_output(self):
        seed_demo()

        out = run("export_marketplace", "demo-marketplace", "-")

        assert yaml.safe_load(out)["Objects"]["AdminUsers"][0]["ID"] == "demo-admin"

    def test_an_unknown_organization(self):
        with pytest.raises(CommandError, match="No organization 'nope'"):
            run("export_marketplace", "nope", "-")


def rename(value, names: dict):
    if isinstance(value, dict):
        return {key: rename(item, names) for key, item in value.items()}
    if isinstance(value, list):
        return [rename(item, names) for item in value]
    return names.get(value, value) if isinstance(value, str) else value


# --- DevCenterImpersonate over real HTTP -----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_dev_center_impersonate_signs_in_to_an_imported_organization(live_server):
    seed_demo()
    _, marketplace = import_file(DATA)
    back_office = ApiClient.objects.get(marketplace=marketplace, app_name="Back office")

    token = requests.post(
        f"{live_server.url}{TOKEN_URL}",
        data={
            "grant_type": "password",
            "client_id": back_office.oc_id,
            "client_secret": "back-office-secret",
            "username": "demo",
            "password": "demo-password",
            "scope": "DevCenterImpersonate FullAccess",
        },
        timeout=10,
    )

    assert token.status_code == 200, token.text
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    me = requests.get(f"{live_server.url}{V1}/me", headers=headers, timeout=10).json()
    assert (me["ID"], me["Seller"]) == ("ops-admin", {"ID": marketplace.oc_id})
    buyers = requests.get(f"{live_server.url}{V1}/buyers", headers=headers, timeout=10).json()
    assert [b["ID"] for b in buyers["Items"]] == ["acme", "globex"]
