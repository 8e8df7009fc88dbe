"""Promotions: a Code a shopper adds to an order, an EligibleExpression and a
ValueExpression (checked when saved: `sandbox.domain.expressions`), limits and dates; and
their assignments to buyers or user groups (or AllowAllBuyers). What one takes off an
order is `sandbox.domain.promotions`."""

from http import HTTPStatus

from django.db import transaction

from sandbox import models
from sandbox.api import crud, validation
from sandbox.api.errors import ApiError, validation_failure
from sandbox.api.spec import Field, Operation, Param, Resource, Schema, crud_operations
from sandbox.domain import promotions
from sandbox.models import Buyer, Promotion, PromotionAssignment, User, UserGroup
from sandbox.resources.common import (
    OWNER_ID,
    XP,
    OwnedHooks,
    assignment_page,
    crud_summaries,
    filter_by,
    full_access_or,
)


def code_taken(code: str) -> ApiError:
    return ApiError(
        HTTPStatus.CONFLICT,
        "Promotion.CodeMustBeUnique",
        f"Another promotion has the code {code}.",
        {"Code": code},
    )


class PromotionHooks(OwnedHooks):
    def before_write(self, call, obj, values, given):
        super().before_write(call, obj, values, given)
        problems = promotions.check_expressions(obj.eligible_expression, obj.value_expression)
        for field, message in problems.items():
            raise validation_failure(f"{field} is not a valid expression: {message}", field)
        if obj.start_date and obj.expiration_date and obj.expiration_date < obj.start_date:
            raise validation_failure("ExpirationDate cannot be before StartDate.", "ExpirationDate")
        taken = Promotion.objects.filter(marketplace=call.marketplace, code=obj.code)
        if taken.exclude(pk=obj.pk).exists():
            raise code_taken(obj.code)


PROMOTION_FIELDS = (
    Field("ID", attr="oc_id", max_length=100, example="ID-1"),
    Field("LineItemLevel", "boolean", attr="line_item_level", default=False),
    Field("Code", attr="code", max_length=100, example="SAVE10"),
    Field("Name", attr="name", max_length=100, example="10% off"),
    Field("RedemptionLimit", "integer", attr="redemption_limit", format="int32"),
    Field("RedemptionLimitPerUser", "integer", attr="redemption_limit_per_user", format="int32"),
    Field(
        "RedemptionCount",
        "integer",
        attr="redemption_count",
        format="int32",
        read_only=True,
        default=0,
    ),
    Field("Description", attr="description", max_length=2000),
    Field("FinePrint", attr="fine_print", max_length=2000),
    Field("StartDate", "datetime", attr="start_date"),
    Field("ExpirationDate", "datetime", attr="expiration_date"),
    Field(
        "EligibleExpression",
        attr="eligible_expression",
        max_length=400,
        example="order.Total > 100",
    ),
    Field("ValueExpression", attr="value_expression", max_length=400, example="order.Total * .1"),
    Field("CanCombine", "boolean", attr="can_combine", default=False),
    Field("AllowAllBuyers", "boolean", attr="allow_all_buyers", default=False),
    OWNER_ID,
    # Newer than the reference document; OrderCloud's SDKs send both on every write.
    Field("AutoApply", "boolean", attr="auto_apply", default=False),
    Field("Active", "boolean", attr="active", default=True),
    XP,
)

PROMOTIONS = Resource(
    name="Promotion",
    prefix="Promotions",
    tag="Promotions",
    path="/promotions",
    id_param="promotionID",
    model=models.Promotion,
    fields=PROMOTION_FIELDS,
    required=("Code", "EligibleExpression", "ValueExpression"),
    searchable=(
        "ID",
        "Name",
        "Code",
        "Description",
        "FinePrint",
        "EligibleExpression",
        "ValueExpression",
    ),
    sortable=(
        "Name",
        "ID",
        "Code",
        "StartDate",
        "ExpirationDate",
        "EligibleExpression",
        "ValueExpression",
        "CanCombine",
    ),
    read_roles=full_access_or("PromotionAdmin", "PromotionReader"),
    write_roles=full_access_or("PromotionAdmin"),
    summaries=crud_summaries("promotion", "promotions"),
    hooks=PromotionHooks(),
)

# --- assignments to buyers and user groups --------------------------------------------------

PROMOTION_ASSIGNMENT = Schema(
    "PromotionAssignment",
    (Field("PromotionID", example="promotion-1"), Field("BuyerID"), Field("UserGroupID")),
)
ASSIGNMENT_PARAMS = (
    Param("buyerID", description="ID of the buyer."),
    Param("promotionID", description="ID of the promotion."),
    Param("userID", description="ID of the user."),
    Param("userGroupID", description="ID of the user group."),
    Param(
        "level", description="Level of the promotion assignment.", enum=("User", "Group", "Company")
    ),
)


def assignment_wire(row) -> dict:
    return {
        "PromotionID": row.promotion.oc_id,
        "BuyerID": row.buyer.oc_id,
        "UserGroupID": row.user_group.oc_id if row.user_group else None,
    }


def list_assignments(call):
    queryset = PromotionAssignment.objects.filter(marketplace=call.marketplace)
    level = call.query.get("level") or ""
    if level and level not in ("User", "Group", "Company"):
        raise validation_failure("level must be one of User, Group, Company.", "level")
    if level == "Group":
        queryset = queryset.exclude(user_group=None)
    elif level == "Company":
        queryset = queryset.filter(user_group=None)
    elif level == "User":  # promotions are never assigned to single users
        queryset = queryset.none()
    if call.query.get("userID"):
        user = User.objects.filter(
            marketplace=call.marketplace, user_type=User.Type.BUYER, oc_id=call.query["userID"]
        ).first()
        groups = user.group_assignments.values("user_group") if user else []
        queryset = queryset.filter(user_group__in=groups) if user else queryset.none()
    queryset = filter_by(
        call,
        queryset,
        {
            "buyerID": "buyer__oc_id",
            "promotionID": "promotion__oc_id",
            "userGroupID": "user_group__oc_id",
        },
    ).select_related("promotion", "buyer", "user_group")
    return assignment_page(
        call,
        queryset,
        {
            "PromotionID": "promotion__oc_id",
            "BuyerID": "buyer__oc_id",
            "UserGroupID": "user_group__oc_id",
        },
        assignment_wire,
        ASSIGNMENT_PARAMS,
    )


def parties(call, promotion_id, buyer_id, group_id):
    promotion = crud.get_object(PROMOTIONS, call, promotion_id)
    buyer = crud.find_object(call, Buyer, "Buyer", buyer_id)
    group = None
    if group_id:
        group = crud.find_object(
            call, UserGroup, "UserGroup", group_id, group_type=User.Type.BUYER, company_id=buyer_id
        )
    return promotion, buyer, group


def save_assignment(call):
    values, _ = validation.validate(
        PROMOTION_ASSIGNMENT.fields, call.body, required=("PromotionID", "BuyerID")
    )
    promotion, buyer, group = parties(
        call, values["PromotionID"], values["BuyerID"], values.get("UserGroupID")
    )
    with transaction.atomic():
        PromotionAssignment.objects.get_or_create(
            marketplace=call.marketplace, promotion=promotion, buyer=buyer, user_group=group
        )
    return HTTPStatus.NO_CONTENT, None


def delete_assignment(call):
    buyer_id = call.query.get("buyerID")
    if not buyer_id:
        raise validation_failure("buyerID is required.", "buyerID")
    promotion, buyer, group = parties(
        call, call.params["promotionID"], buyer_id, call.query.get("userGroupID")
    )
    PromotionAssignment.objects.filter(promotion=promotion, buyer=buyer, user_group=group).delete()
    return HTTPStatus.NO_CONTENT, None


OPERATIONS = [
    *crud_operations(PROMOTIONS),
    Operation(
        "Promotions.DeleteAssignment",
        "DELETE",
        "/promotions/{promotionID}/assignments",
        "Promotions",
        "Delete a promotion assignment.",
        PROMOTIONS.write_roles,
        "DeleteAssignment",
        204,
        handler=delete_assignment,
        query=(
            Param("buyerID", required=True, description="ID of the buyer."),
            Param("userID", description="ID of the user."),
            Param("userGroupID", description="ID of the user group."),
        ),
    ),
    Operation(
        "Promotions.ListAssignments",
        "GET",
        "/promotions/assignments",
        "Promotions",
        "Get a list of promotion assignments.",
        PROMOTIONS.read_roles,
        "ListAssignments",
        200,
        handler=list_assignments,
        response=PROMOTION_ASSIGNMENT,
        is_list=True,
        query=ASSIGNMENT_PARAMS,
    ),
    Operation(
        "Promotions.SaveAssignment",
        "POST",
        "/promotions/assignments",
        "Promotions",
        "Create or update a promotion assignment.",
        PROMOTIONS.write_roles,
        "SaveAssignment",
        204,
        handler=save_assignment,
        request=PROMOTION_ASSIGNMENT,
        request_required=("PromotionID", "BuyerID"),
        errors=(404,),  # the body names the promotion, the buyer and the group
    ),
]
