"""Product facets: the xp paths whose values product lists count in their Meta
(`sandbox.domain.facets`)."""

from sandbox import models
from sandbox.api.spec import Field, Hooks, Resource, crud_operations
from sandbox.resources.common import XP, check_xp_path, crud_summaries, full_access_or, id_field


class FacetHooks(Hooks):
    def before_write(self, call, obj, values, given):
        check_xp_path(obj.xp_path, "XpPath")
        obj.min_count = 1 if obj.min_count is None else obj.min_count


PRODUCT_FACETS = Resource(
    name="ProductFacet",
    prefix="ProductFacets",
    tag="Product Facets",
    path="/productfacets",
    id_param="productFacetID",
    model=models.ProductFacet,
    fields=(
        id_field(),
        Field("Name", attr="name", max_length=100, example="Color"),
        Field("XpPath", attr="xp_path", max_length=200, example="Facets.Color"),
        Field("ListOrder", "integer", attr="list_order", format="int32"),
        Field("MinCount", "integer", attr="min_count", format="int32", default=1, example=1),
        XP,
    ),
    required=("Name", "MinCount"),
    searchable=("ID", "Name", "XpPath"),
    sortable=("ListOrder", "ID", "Name", "XpPath"),
    read_roles=full_access_or("ProductFacetAdmin", "ProductFacetReader"),
    write_roles=full_access_or("ProductFacetAdmin"),
    summaries=crud_summaries("product facet", "product facets"),
    hooks=FacetHooks(),
)

OPERATIONS = crud_operations(PRODUCT_FACETS)
