"""What a buyer user is given through assignments (to the user, to one of its user
groups, or to its whole buyer): cost centers, spending accounts, credit cards (its own
ones too) and promotions, as the /me lists show them."""

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When

from sandbox.models import (
    CostCenter,
    CostCenterAssignment,
    CreditCard,
    CreditCardAssignment,
    Promotion,
    PromotionAssignment,
    SpendingAccount,
    SpendingAccountAssignment,
    User,
    UserGroupAssignment,
)


def reaching(user: User) -> Q:
    """Assignments that reach the user: to it, to one of its groups, to its buyer."""
    groups = UserGroupAssignment.objects.filter(user=user).values("user_group")
    return Q(user=user) | Q(user_group__in=groups) | Q(user=None, user_group=None)


def _assigned(model, assignment_model, thing: str, user: User):
    assigned = assignment_model.objects.filter(reaching(user), **{thing: OuterRef("pk")})
    return model.objects.filter(
        Exists(assigned), marketplace=user.marketplace, company_id=user.company_id
    )


def cost_centers(user: User):
    return _assigned(CostCenter, CostCenterAssignment, "cost_center", user)


def spending_accounts(user: User):
    return _assigned(SpendingAccount, SpendingAccountAssignment, "spending_account", user)


def credit_cards(user: User):
    """The user's own cards (editable) and the buyer's cards assigned to it."""
    assigned = CreditCardAssignment.objects.filter(reaching(user), credit_card=OuterRef("pk"))
    return (
        CreditCard.objects.filter(marketplace=user.marketplace, company_id=user.company_id)
        .filter(Q(owner_user=user) | (Q(owner_user=None) & Exists(assigned)))
        .annotate(
            editable=Case(
                When(owner_user=user, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )


def promotions(user: User):
    """Promotions for every buyer, or assigned to the user's buyer or one of its groups."""
    groups = UserGroupAssignment.objects.filter(user=user).values("user_group")
    assigned = PromotionAssignment.objects.filter(
        Q(user_group=None) | Q(user_group__in=groups),
        promotion=OuterRef("pk"),
        buyer__oc_id=user.company_id,
    )
    return Promotion.objects.filter(marketplace=user.marketplace).filter(
        Q(allow_all_buyers=True) | Exists(assigned)
    )


def spending_account_assignment(user: User, account: SpendingAccount):
    """The assignment that gives the user the account, the most specific first (its
    AllowExceed decides whether a payment may overdraw it); None when none does."""
    rows = list(SpendingAccountAssignment.objects.filter(reaching(user), spending_account=account))
    rows.sort(key=lambda row: (row.user_id is None, row.user_group_id is None))
    return rows[0] if rows else None
