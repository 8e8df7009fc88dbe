"""What the models of every domain share."""

from django.db import models


class NoCaseIndex(models.Index):
    """An index whose `nocase` columns are in SQLite's NOCASE collation (elsewhere: plain).

    SQLite's LIKE is case-insensitive, so it turns `LIKE 'abc%'` (a list filter
    `LastName=abc*`) into an index range only on a NOCASE column; on the default BINARY
    collation the filter reads every row of the company. Equality and ORDER BY keep
    using the BINARY indexes, so only a prefix-filtered column belongs in `nocase`.
    """

    def __init__(self, *args, nocase=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.nocase = tuple(nocase)

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        return path, args, {**kwargs, "nocase": self.nocase}

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "sqlite" or self.expressions:
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        suffixes = []
        for name, order in self.fields_orders:  # order: "" or "DESC"
            collate = "COLLATE NOCASE" if name in self.nocase else ""
            suffixes.append(f"{collate} {order}".strip())
        return schema_editor._create_index_sql(
            model,
            fields=[model._meta.get_field(name) for name, _ in self.fields_orders],
            name=self.name,
            using=using,
            col_suffixes=suffixes,
            condition=self._get_condition_sql(model, schema_editor),
            **kwargs,
        )
