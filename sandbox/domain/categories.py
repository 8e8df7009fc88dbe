"""The category tree of a catalog: placing a category under its parent, the counts that
depend on it, and OrderCloud's `depth`.

Each category keeps its `path` (the surrogate keys from the top down to itself, "/3/17/")
and its `level` (1 at the top), so a subtree is one prefix and a depth one comparison.
Writers of a catalog's tree lock the catalog's row first (`lock_catalog`), so that the
counts they recount include every concurrent change.
"""

from sandbox.api.errors import not_found, validation_failure
from sandbox.models import Catalog, Category

ALL = None  # depth=all


def parse_depth(text: str, default: int | None) -> int | None:
    """`depth` as OrderCloud takes it: a number from 1 up, or "all" (None)."""
    if text == "":
        return default
    if text.lower() == "all":
        return ALL
    if not text.isdigit() or not 1 <= int(text) <= 10**6:
        raise validation_failure("depth must be a number of 1 or greater, or 'all'.", "depth")
    return int(text)


def within_depth(categories, depth: int | None, base: Category | None = None):
    """The categories at most `depth` levels below `base`, or below the catalog's top
    when None: depth 1 is `base`'s children, or the top categories."""
    if base is not None:
        categories = categories.filter(
            catalog_id=base.catalog_id, path__startswith=base.path, level__gt=base.level
        )
    if depth is ALL:
        return categories
    return categories.filter(level__lte=(base.level if base else 0) + depth)


def subtree(category: Category):
    """The category and every category under it."""
    return Category.objects.filter(catalog_id=category.catalog_id, path__startswith=category.path)


def lock_catalog(catalog: Catalog) -> None:
    """Hold the catalog's row until the transaction ends (a no-op on SQLite, whose
    writers are serialized anyway)."""
    list(Catalog.objects.select_for_update().filter(pk=catalog.pk).values("pk"))


def parent_of(category: Category) -> Category | None:
    """The category named by ParentID in the same catalog: 404 when there is none, 400
    when it is the category itself or under it (a cycle)."""
    if not category.parent_id:
        return None
    parent = Category.objects.filter(catalog=category.catalog, oc_id=category.parent_id).first()
    if parent is None:
        raise not_found("Category", category.parent_id)
    placed = category.path != "/"  # a new category has no subtree yet
    if placed and parent.path.startswith(category.path):
        raise validation_failure(
            f"Category {category.parent_id} is {category.oc_id} or under it: a category"
            " cannot be its own ancestor.",
            "ParentID",
        )
    return parent


def place(category: Category, parent: Category | None) -> None:
    """Give a saved category its path and level under `parent`, and carry its subtree
    along when it moved."""
    old_path, old_level = category.path, category.level
    path = f"{parent.path if parent else '/'}{category.pk}/"
    level = parent.level + 1 if parent else 1
    if path == old_path and level == old_level:
        return
    if old_path != "/":  # it had a place: move what is under it
        below = subtree(category).exclude(pk=category.pk)
        for child in below:
            child.path = path + child.path.removeprefix(old_path)
            child.level = child.level - old_level + level
            child.save(update_fields=["path", "level"])
    category.path, category.level = path, level
    category.save(update_fields=["path", "level"])


def recount(catalog: Catalog, *parent_ids: str | None) -> None:
    """Set the catalog's CategoryCount, and the ChildCount of the categories it names."""
    categories = Category.objects.filter(catalog_id=catalog.pk)
    for parent_id in {parent_id for parent_id in parent_ids if parent_id}:
        children = categories.filter(parent_id=parent_id).count()
        categories.filter(oc_id=parent_id).update(child_count=children)
    catalog.category_count = categories.count()
    Catalog.objects.filter(pk=catalog.pk).update(category_count=catalog.category_count)
