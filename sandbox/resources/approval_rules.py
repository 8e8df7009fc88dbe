"""Approval rules: a buyer's (an order whose RuleExpression holds waits for a member of
the approving user group), and the seller's (SellerApprovalRules, approved by an admin
user group). Expressions are checked when a rule is saved (`sandbox.domain.expressions`);
which rules an order must pass is `sandbox.domain.approvals`."""

from dataclasses import replace

from sandbox import models
from sandbox.api.errors import not_found, validation_failure
from sandbox.api.spec import Enumeration, Field, Hooks, Resource, crud_operations
from sandbox.domain import expressions
from sandbox.models import User, UserGroup
from sandbox.resources.common import (
    BUYER_PARENT,
    OWNER_ID,
    XP,
    OwnedHooks,
    crud_summaries,
    full_access_or,
    id_field,
)

APPROVAL_TYPE = Enumeration("ApprovalType", ("Order", "OrderReturn"))


def check_rule(call, obj, *, group_type: str, company_id: str) -> None:
    """A parseable RuleExpression and an approving group that exists."""
    try:
        expressions.parse(obj.rule_expression)
    except expressions.ExpressionError as error:
        raise validation_failure(
            f"RuleExpression is not a valid expression: {error}", "RuleExpression"
        ) from None
    if not UserGroup.objects.filter(
        marketplace=call.marketplace,
        group_type=group_type,
        company_id=company_id,
        oc_id=obj.approving_group_id,
    ).exists():
        raise not_found("UserGroup", obj.approving_group_id)


class ApprovalRuleHooks(Hooks):
    def before_write(self, call, obj, values, given):
        check_rule(call, obj, group_type=User.Type.BUYER, company_id=call.params["buyerID"])


class SellerApprovalRuleHooks(OwnedHooks):
    def before_write(self, call, obj, values, given):
        super().before_write(call, obj, values, given)
        check_rule(call, obj, group_type=User.Type.ADMIN, company_id="")


RULE_FIELDS = (
    id_field(),
    Field("Name", attr="name", max_length=100, example="Orders over 500"),
    Field("Description", attr="description", max_length=2000),
    Field("ApprovingGroupID", attr="approving_group_id", example="managers"),
    Field("RuleExpression", attr="rule_expression", max_length=400, example="order.Total > 500"),
    XP,
)

APPROVAL_RULES = Resource(
    name="ApprovalRule",
    prefix="ApprovalRules",
    tag="Approval Rules",
    path="/buyers/{buyerID}/approvalrules",
    id_param="approvalRuleID",
    model=models.ApprovalRule,
    fields=RULE_FIELDS,
    required=("ApprovingGroupID", "RuleExpression"),
    searchable=("ID", "Name", "Description", "RuleExpression"),
    sortable=("Name", "ID", "ApprovingGroupID", "RuleExpression"),
    read_roles=full_access_or("ApprovalRuleAdmin", "ApprovalRuleReader"),
    write_roles=full_access_or("ApprovalRuleAdmin"),
    summaries=crud_summaries("approval rule", "approval rules", "an"),
    parents=(BUYER_PARENT,),
    checks_references=True,
    hooks=ApprovalRuleHooks(),
)

SELLER_APPROVAL_RULES = replace(
    APPROVAL_RULES,
    name="SellerApprovalRule",
    prefix="SellerApprovalRules",
    tag="Seller Approval Rules",
    path="/approvalrules",
    fields=(
        replace(OWNER_ID, attr="owner_id"),
        Field("ApprovalType", attr="approval_type", enum=APPROVAL_TYPE, example="OrderReturn"),
        *RULE_FIELDS,
    ),
    required=("ApprovalType", "ApprovingGroupID", "RuleExpression"),
    read_roles=full_access_or("OrderAdmin", "ApprovalRuleReader"),
    write_roles=full_access_or("OrderAdmin"),
    summaries=crud_summaries("seller approval rule", "seller approval rules"),
    parents=(),
    scope={"company_id": ""},
    hooks=SellerApprovalRuleHooks(),
)

OPERATIONS = [*crud_operations(APPROVAL_RULES), *crud_operations(SELLER_APPROVAL_RULES)]
