"""Loading a marketplace in the seeding format (`sandbox.seeding.seedfile`) into a seller
organization, through the operations that serve the API.

Each record goes through its kind's operation (`Users.Create`, `Catalogs.SaveAssignment`,
...) with the API's validation and rules, in the format's order, each in a savepoint of
its own: a record the API refuses is reported with the API's reason and the others load.
Nothing is dropped silently: a record that fails, a name the format does not have, and a
name whose operations the sandbox does not implement yet are all in the report.

What an API client cannot set, the loader keeps from the file: the timestamps the API
sets itself (`DateCreated`, `PasswordLastSetDate`), and an API client's ClientID while no
other API client has it (ClientIDs are global: a taken one is replaced by the generated
one, and the records that name it follow). A redacted ClientSecret gets a new secret.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from sandbox.api import crud, validation
from sandbox.api.errors import ApiError
from sandbox.api.listing import ListError
from sandbox.api.spec import Operation
from sandbox.api.wire import timestamp
from sandbox.models import Marketplace
from sandbox.seeding import seedfile
from sandbox.seeding.calls import Caller, operation
from sandbox.seeding.seedfile import Kind


@dataclass
class Failure:
    name: str  # the kind's name, e.g. "Users"
    position: int | None  # 1-based, in the file's list of that name (None: a later step)
    label: str  # what the record is: "ID jdoe", "CategoryID shirts, ProductID tee"
    reason: str  # the API's answer, e.g. "ValidationFailure: Email is required."

    def __str__(self):
        where = f" #{self.position}" if self.position else ""
        label = f" ({self.label})" if self.label else ""
        return f"{self.name}{where}{label}: {self.reason}"


@dataclass
class LoadReport:
    loaded: dict[str, int] = field(default_factory=dict)  # kind name -> records written
    existing: dict[str, int] = field(default_factory=dict)  # found there (only_missing)
    failures: list[Failure] = field(default_factory=list)
    not_in_sandbox: dict[str, int] = field(default_factory=dict)  # name -> records
    unknown: dict[str, int] = field(default_factory=dict)  # "Objects.Foo" -> records
    notes: list[str] = field(default_factory=list)  # what changed on the way in
    client_ids: dict[str, str] = field(default_factory=dict)  # file's ClientID -> new one


class RecordError(Exception):
    """A record refused before any operation sees it (not a mapping, no parent ID)."""


def reason(error: Exception) -> str:
    if isinstance(error, ApiError | ListError):
        return f"{error.code}: {error.message}"
    return str(error)


def label(record) -> str:
    """How a report names a record: its ID, else the IDs it names."""
    if not isinstance(record, dict):
        return ""
    if isinstance(record.get("ID"), str):
        return f"ID {record['ID']}"
    return ", ".join(
        f"{name} {value}"
        for name, value in record.items()
        if name.endswith("ID") and isinstance(value, str) and value
    )


def spec_options(specs) -> frozenset:
    """What a variant is known by: its specs' options, {(SpecID, OptionID), ...}."""
    if not isinstance(specs, list):
        return frozenset()
    return frozenset(
        (spec.get("SpecID"), spec.get("OptionID")) for spec in specs if isinstance(spec, dict)
    )


def parent_param(kind: Kind) -> str:
    """The path parameter an inline kind's parent fills: Variants -> productID."""
    return seedfile.parent_param(kind.inline_in)


class Loader:
    def __init__(self, marketplace: Marketplace, *, progress=None, only_missing=False):
        self.marketplace = marketplace
        self.caller = Caller(marketplace)
        self.progress: Callable[[str, int, int], None] = progress or (lambda *args: None)
        self.only_missing = only_missing
        self.report = LoadReport()
        self.created: set[str] = set()  # IDs of the objects written in this run
        self.existing_ids: dict[tuple, set] = {}  # only_missing: by operation and parents
        self.deferred: list[tuple[Kind, dict, str, dict]] = []  # kind, path, ID, fields
        # Generated kinds: the parents to generate for, and what was generated.
        self.to_generate: dict[str, dict[str, int]] = {}  # kind -> parent ID -> count
        self.generated: dict[tuple[str, str], dict | None] = {}  # (kind, parent) -> options -> ID

    # --- the whole file -----------------------------------------------------------------

    def load(self, sections: dict) -> LoadReport:
        records = self.plan(sections)
        for kind in seedfile.KINDS:
            if records.get(kind.name) or self.to_generate.get(kind.name):
                self.load_kind(kind, records.get(kind.name, []))
        self.apply_deferred()
        return self.report

    def plan(self, sections: dict) -> dict[str, list]:
        """The records by kind; unknown names reported; inline records moved out."""
        records: dict[str, list] = {}
        for section in seedfile.SECTIONS:
            for name, items in sections.get(section, {}).items():
                kind = seedfile.find_kind(section, name)
                if kind is None:
                    self.report.unknown[f"{section}.{name}"] = len(items)
                else:
                    records.setdefault(kind.name, []).extend(items)
        for kind in seedfile.KINDS:
            if not kind.inline_in:
                continue
            parent_field = seedfile.field_of(parent_param(kind))
            for parent in records.get(kind.inline_in, []):
                if not isinstance(parent, dict) or kind.name not in parent:
                    continue
                inline = parent.pop(kind.name) or []
                for item in inline if isinstance(inline, list) else [inline]:
                    if isinstance(item, dict):
                        item = {**item, parent_field: parent.get("ID")}
                    records.setdefault(kind.name, []).append(item)
        for kind in seedfile.KINDS:
            if kind.copied_in and operation(kind.save):
                self.check_copies(kind, records)
        return records

    def check_copies(self, kind: Kind, records: dict) -> None:
        """Report copies (a spec's read-only Options) that have no record of their own:
        the API ignores them, so they would not be loaded."""
        holder, field_name = kind.copied_in
        parent_field = seedfile.field_of(seedfile.parent_param(holder))
        given = {
            (record.get(parent_field), record.get("ID"))
            for record in records.get(kind.name, [])
            if isinstance(record, dict)
        }
        for parent in records.get(holder, []):
            copies = parent.get(field_name) if isinstance(parent, dict) else None
            for copy in copies if isinstance(copies, list) else []:
                if isinstance(copy, dict) and (parent.get("ID"), copy.get("ID")) not in given:
                    where = f"{parent_field} {parent.get('ID')}, ID {copy.get('ID')}"
                    self.report.failures.append(
                        Failure(
                            kind.name,
                            None,
                            where,
                            f"only in the read-only {field_name} of {holder}: give it as"
                            f" a {kind.name} record to load it.",
                        )
                    )

    def load_kind(self, kind: Kind, records: list) -> None:
        save = operation(kind.save)
        if save is None or (kind.generated_by and operation(kind.generated_by) is None):
            expected = len(records) or sum(self.to_generate.get(kind.name, {}).values())
            if expected:
                self.report.not_in_sandbox[kind.name] = expected
            return
        write = self.write_generated if kind.generated_by else self.write
        order = self.parents_first(kind, save, records) if kind.tree else range(len(records))
        self.progress(kind.name, 0, len(records))
        for done, index in enumerate(order, start=1):
            record = records[index]
            try:
                with transaction.atomic():
                    written = write(kind, save, record)
            except (ApiError, ListError, RecordError) as error:
                self.report.failures.append(
                    Failure(kind.name, index + 1, label(record), reason(error))
                )
            else:
                counts = self.report.loaded if written else self.report.existing
                counts[kind.name] = counts.get(kind.name, 0) + 1
            self.progress(kind.name, done, len(records))
        if kind.generated_by:
            self.generate_the_rest(kind)

    # --- one record ---------------------------------------------------------------------

    def write(self, kind: Kind, save: Operation, record) -> bool:
        """Write one record through `save`; False when only_missing finds it there."""
        record = self.prepared(record)
        params = self.path_values(save, record)
        creates = save.kind == "Create"
        if self.only_missing and (
            self.exists(save, params, record)
            if creates
            else not self.names_created([*record.values(), *params.values()])
        ):
            return False
        query, body = self.query_and_body(save, record)
        kept = self.kept_timestamps(save, record) if creates else {}
        later = {name: body.pop(name) for name in kind.deferred if body and body.get(name)}
        wanted_id = record.get("ID") if creates and save.resource.id_generated_only else None
        redacted = body is not None and body.get("ClientSecret") == seedfile.REDACTED
        if redacted:
            body["ClientSecret"] = secrets.token_urlsafe(32)
        _, response = self.caller.run(save, params, query, body)
        if not creates:
            return True
        object_id = response["ID"]
        if wanted_id is not None:
            object_id = self.keep_id(save, params, object_id, wanted_id, record)
        if redacted:
            self.report.notes.append(
                f"{kind.name} {record.get('AppName')!r}: its ClientSecret was redacted in the"
                " file; it has a new one."
            )
        self.keep_timestamps(save, params, object_id, kept)
        if later:
            self.deferred.append((kind, params, object_id, later))
        for generated in seedfile.KINDS:
            count = record.get(generated.count_field) if generated.count_field else None
            if generated.inline_in == kind.name and isinstance(count, int) and count > 0:
                self.to_generate.setdefault(generated.name, {})[object_id] = count
        self.created.add(object_id)
        return True

    def prepared(self, record) -> dict:
        """A copy, with the placeholder as the marketplace's ID and ClientIDs mapped."""
        if not isinstance(record, dict):
            raise RecordError(f"not a record but a {validation.type_name(record)}")
        out = {}
        for name, value in record.items():
            if value == seedfile.MARKETPLACE_PLACEHOLDER:
                value = self.marketplace.oc_id
            elif name in seedfile.CLIENT_ID_FIELDS and isinstance(value, str):
                value = self.report.client_ids.get(value, value)
            out[name] = value
        return out

    def path_values(self, save: Operation, record: dict, skip=()) -> dict:
        """The path parameters, taken out of the record: `buyerID` from BuyerID."""
        params = {}
        for param in save.path_params:
            if param in skip:
                continue
            name = seedfile.field_of(param)
            value = record.pop(name, None)
            if not isinstance(value, str) or not value:
                raise RecordError(f"{name} is required: it names where the record belongs.")
            params[param] = value
        return params

    def query_and_body(self, save: Operation, record: dict):
        """The record as the body, or as query values for an operation without a body."""
        if save.request is not None:
            return {}, record
        allowed = {param.name.lower(): param.name for param in save.query}
        query = {}
        for name, value in record.items():
            if value is None:
                continue
            if name.lower() not in allowed:
                raise RecordError(f"{name} is not a valid property.")
            query[allowed[name.lower()]] = (
                str(value).lower() if value in (True, False) else str(value)
            )
        return query, None

    def kept_timestamps(self, save: Operation, record: dict) -> dict:
        """The file's values of the timestamps the API sets itself (read-only datetimes:
        DateCreated, and nested ones such as Inventory.LastUpdated), checked: {attribute:
        datetime, or for an object field {its field: wire timestamp}}."""
        kept = {}
        for spec in save.resource.fields:
            raw = record.get(spec.name)
            if not spec.attr or spec.compute or raw is None:
                continue
            if spec.read_only and spec.type == "datetime":
                kept[spec.attr] = validation.parse_datetime(raw, spec.name)
            elif spec.type == "object" and spec.ref is not None and isinstance(raw, dict):
                nested = {
                    inner.name: timestamp(
                        validation.parse_datetime(raw[inner.name], f"{spec.name}.{inner.name}")
                    )
                    for inner in spec.ref.fields
                    if inner.read_only and inner.type == "datetime" and raw.get(inner.name)
                }
                if nested:
                    kept[spec.attr] = nested
        return kept

    def keep_timestamps(self, save: Operation, params: dict, object_id: str, kept: dict):
        """Store the kept timestamps over the ones the API set. An object field is stored
        as the API returns it (`crud.to_wire`), so its nested timestamp is updated there."""
        if not kept:
            return
        call = crud.Call(save, self.caller.token, params, {}, None)
        rows = crud.scoped(save.resource, call).filter(oc_id=object_id)
        for attr, value in kept.items():
            if isinstance(value, dict):
                stored = rows.values_list(attr, flat=True).first()
                kept[attr] = {**stored, **value} if isinstance(stored, dict) else stored
        rows.update(**kept)

    def exists(self, save: Operation, params: dict, record: dict) -> bool:
        """Whether an object with the record's ID is there already (the IDs under each
        parent are read once, through the resource's own scoping)."""
        key = (save.operation_id, *params.values())
        if key not in self.existing_ids:
            call = crud.Call(save, self.caller.token, params, {}, None)
            try:
                found = crud.scoped(save.resource, call).values_list("oc_id", flat=True)
                self.existing_ids[key] = set(found)
            except ApiError:  # no such parent: the write says so
                self.existing_ids[key] = set()
        return isinstance(record.get("ID"), str) and record["ID"] in self.existing_ids[key]

    def names_created(self, values) -> bool:
        """Whether an assignment names an object written in this run: only_missing saves
        only those (the others were saved with their objects, or removed since)."""
        return any(isinstance(value, str) and value in self.created for value in values)

    def keep_id(self, save: Operation, params: dict, generated: str, wanted, record) -> str:
        """The file's ID for an object whose ID the API generates (an API client's
        ClientID), when it is valid and free; else the generated one, noted."""
        resource = save.resource
        call = crud.Call(save, self.caller.token, params, {}, None)
        if not isinstance(wanted, str) or not wanted:
            return generated
        try:
            validation.convert(resource.field("ID"), wanted, "ID")
            free = not crud.id_taken(resource, call, wanted)
        except ApiError:
            free = False
        if free:
            resource.model.objects.filter(oc_id=generated).update(oc_id=wanted)
            return wanted
        self.report.client_ids[wanted] = generated
        self.report.notes.append(
            f"{resource.prefix} {record.get('AppName')!r}: ID {wanted} is taken (IDs of"
            f" {resource.prefix} are global); it is now {generated}."
        )
        return generated

    # --- kinds with an order or a second step ------------------------------------------

    def parents_first(self, kind: Kind, save: Operation, records: list) -> list[int]:
        """The records' positions, each after the record its `tree` field names."""
        place = [seedfile.field_of(param) for param in save.path_params]

        def key(record, object_id):
            return (*(record.get(name) for name in place), object_id)

        positions = {
            key(record, record.get("ID")): index
            for index, record in enumerate(records)
            if isinstance(record, dict)
        }
        depths: dict[int, int] = {}

        def depth(index: int, seen: frozenset) -> int:
            if index not in depths:
                record = records[index]
                parent = None
                if isinstance(record, dict) and record.get(kind.tree):
                    parent = positions.get(key(record, record[kind.tree]))
                if parent is None or parent in seen:  # a root, or a cycle
                    depths[index] = 0
                else:
                    depths[index] = depth(parent, seen | {index}) + 1
            return depths[index]

        return sorted(range(len(records)), key=lambda index: depth(index, frozenset({index})))

    def apply_deferred(self) -> None:
        """Fields naming records written after theirs (Spec.DefaultOptionID), patched in."""
        for kind, params, object_id, values in self.deferred:
            patch = operation(kind.patch)
            own = next(param for param in patch.path_params if param not in params)
            try:
                with transaction.atomic():
                    self.caller.run(patch, {**params, own: object_id}, None, values)
            except (ApiError, ListError) as error:
                self.report.failures.append(
                    Failure(kind.name, None, f"ID {object_id}, {', '.join(values)}", reason(error))
                )

    def write_generated(self, kind: Kind, save: Operation, record) -> bool:
        """Generate the parent's records (once), then save this record over the generated
        one with the same spec options."""
        record = self.prepared(record)
        param = parent_param(kind)
        own = next(name for name in save.path_params if name != param)
        params = self.path_values(save, record, skip=(own,))
        if self.only_missing and params[param] not in self.created:
            return False  # its parent was there already, and so were its variants
        generated = self.generated_ids(kind, params[param])
        options = spec_options(record.get("Specs"))
        if options not in generated:
            described = ", ".join(f"{spec} {option}" for spec, option in sorted(options))
            raise RecordError(
                f"{seedfile.field_of(param)} {params[param]} has no generated variant with"
                f" the options {described or '(none)'}."
            )
        kept = self.kept_timestamps(save, record)
        _, response = self.caller.run(save, {**params, own: generated[options]}, None, record)
        self.keep_timestamps(save, params, response["ID"], kept)
        return True

    def generate(self, kind: Kind, parent_id: str) -> int:
        """Generate the parent's records, once: how many the parent has then."""
        key = (kind.name, parent_id)
        if key in self.generated:
            return 0
        _, parent = self.caller.run(operation(kind.generated_by), {parent_param(kind): parent_id})
        self.generated[key] = None
        return parent.get(kind.count_field) or 0

    def generated_ids(self, kind: Kind, parent_id: str) -> dict:
        """Spec options -> ID of the parent's generated records."""
        self.generate(kind, parent_id)
        key = (kind.name, parent_id)
        if self.generated[key] is None:
            items = self.caller.list_all(operation(kind.list), {parent_param(kind): parent_id})
            self.generated[key] = {spec_options(item.get("Specs")): item["ID"] for item in items}
        return self.generated[key]

    def generate_the_rest(self, kind: Kind) -> None:
        """Parents with a count but none of their records listed: generated all the same
        (and counted as loaded)."""
        for parent_id in self.to_generate.get(kind.name, {}):
            try:
                with transaction.atomic():
                    count = self.generate(kind, parent_id)
            except (ApiError, ListError) as error:
                where = f"{seedfile.field_of(parent_param(kind))} {parent_id}"
                self.report.failures.append(Failure(kind.name, None, where, reason(error)))
            else:
                if count:
                    self.report.loaded[kind.name] = self.report.loaded.get(kind.name, 0) + count


def load(sections: dict, marketplace: Marketplace, *, progress=None, only_missing=False):
    """Load a file's sections (`seedfile.read`) into the marketplace: a LoadReport.

    With `only_missing`, objects whose ID is there already are kept as they are, and
    assignments are saved only when they name an object written in this run.
    """
    loader = Loader(marketplace, progress=progress, only_missing=only_missing)
    return loader.load(sections)
