"""Which buyers a supplier sells to: Suppliers.ListBuyers / SaveBuyer / DeleteBuyer, and
the other side, Buyers.ListBuyerSellers (the suppliers a buyer can buy from: those linked
to it and those with AllBuyersCanOrder)."""

from http import HTTPStatus

from django.db.models import Q

from sandbox.api import crud, listing
from sandbox.api.spec import Field, Operation, Schema
from sandbox.models import Buyer, Supplier, SupplierBuyer
from sandbox.resources.buyers import BUYERS
from sandbox.resources.suppliers import SUPPLIERS

SUPPLIER_BUYER = Schema(
    "SupplierBuyer",
    (Field("ID", max_length=100, example="buyer-1"), Field("Name", max_length=100)),
)
BUYER_SUPPLIER = Schema(
    "BuyerSupplier",
    (Field("ID", max_length=100, example="supplier-1"), Field("Name", max_length=100)),
)
COLUMNS = {"ID": listing.Column("oc_id"), "Name": listing.Column("name")}
SEARCHABLE = ("ID", "Name")
SORTABLE = ("Name", "ID")  # OrderCloud's order


def page(call, queryset):
    return HTTPStatus.OK, listing.list_page(
        queryset,
        call.query,
        fields=COLUMNS,
        searchable=SEARCHABLE,
        sortable=SORTABLE,
        serialize=lambda obj: {"ID": obj.oc_id, "Name": obj.name},
    )


def list_buyers(call):
    supplier = crud.find_object(call, Supplier, "Supplier", call.params["supplierID"])
    linked = SupplierBuyer.objects.filter(supplier=supplier).values("buyer")
    return page(call, Buyer.objects.filter(marketplace=call.marketplace, pk__in=linked))


def parties(call):
    supplier = crud.find_object(call, Supplier, "Supplier", call.params["supplierID"])
    buyer = crud.find_object(call, Buyer, "Buyer", call.params["buyerID"])
    return supplier, buyer


def save_buyer(call):
    supplier, buyer = parties(call)
    crud.assign(
        SupplierBuyer, {"marketplace": call.marketplace, "supplier": supplier, "buyer": buyer}
    )
    return HTTPStatus.NO_CONTENT, None


def delete_buyer(call):
    supplier, buyer = parties(call)
    SupplierBuyer.objects.filter(supplier=supplier, buyer=buyer).delete()
    return HTTPStatus.NO_CONTENT, None


def list_buyer_sellers(call):
    buyer = crud.find_object(call, Buyer, "Buyer", call.params["buyerID"])
    linked = SupplierBuyer.objects.filter(buyer=buyer).values("supplier")
    return page(
        call,
        Supplier.objects.filter(marketplace=call.marketplace).filter(
            Q(pk__in=linked) | Q(all_buyers_can_order=True)
        ),
    )


LISTING = {"is_list": True, "searchable": SEARCHABLE, "sortable": SORTABLE}
LINK = "/suppliers/{supplierID}/buyers/{buyerID}"
OPERATIONS = [
    Operation(
        "Buyers.ListBuyerSellers",
        "GET",
        "/buyers/{buyerID}/sellers",
        BUYERS.tag,
        "Get a list of buyer buyer sellers.",
        BUYERS.read_roles,
        "Custom",
        200,
        handler=list_buyer_sellers,
        response=BUYER_SUPPLIER,
        **LISTING,
    ),
    Operation(
        "Suppliers.ListBuyers",
        "GET",
        "/suppliers/{supplierID}/buyers",
        SUPPLIERS.tag,
        "Get a list of supplier buyers.",
        SUPPLIERS.read_roles,
        "Custom",
        200,
        handler=list_buyers,
        response=SUPPLIER_BUYER,
        **LISTING,
    ),
    Operation(
        "Suppliers.SaveBuyer",
        "PUT",
        LINK,
        SUPPLIERS.tag,
        "Create or update a supplier buyer.",
        SUPPLIERS.write_roles,
        "Custom",
        204,
        handler=save_buyer,
    ),
    Operation(
        "Suppliers.DeleteBuyer",
        "DELETE",
        LINK,
        SUPPLIERS.tag,
        "Delete a supplier buyer.",
        SUPPLIERS.write_roles,
        "Custom",
        204,
        handler=delete_buyer,
    ),
]
