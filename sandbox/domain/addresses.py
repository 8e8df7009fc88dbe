"""Which addresses a buyer user sees, as OrderCloud's BuyerAddress list has it.

The user's private addresses (created through /me/addresses: `Address.owner_user`,
editable), and the buyer's addresses assigned to the user, to one of the user's groups
or to the whole buyer (read-only). Shipping / Billing come from those assignments; a
private address keeps its own flags in an assignment to its user, so one query answers
both.
"""

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When

from sandbox.models import Address, AddressAssignment, User, UserGroupAssignment


def visible(user: User):
    """The addresses `user` sees, annotated with `shipping`, `billing` and `editable`."""
    groups = UserGroupAssignment.objects.filter(user=user).values("user_group")
    applies = Q(user=user) | Q(user_group__in=groups) | Q(user=None, user_group=None)
    assigned = AddressAssignment.objects.filter(applies, address=OuterRef("pk"))
    return (
        Address.objects.filter(
            marketplace=user.marketplace, owner_type=User.Type.BUYER, company_id=user.company_id
        )
        .filter(Q(owner_user=user) | (Q(owner_user=None) & Exists(assigned)))
        .annotate(
            shipping=Exists(assigned.filter(is_shipping=True)),
            billing=Exists(assigned.filter(is_billing=True)),
            editable=Case(
                When(owner_user=user, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
    )
