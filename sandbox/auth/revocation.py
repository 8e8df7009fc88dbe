"""`DELETE .../tokens`: revoke every access and refresh token a user holds.

Sets `User.tokens_valid_after`; token verification (`sandbox.auth.access`) and the
refresh grant (`sandbox.auth.grants`) refuse any token issued at or before it, to the
microsecond. Tokens issued afterwards (a new sign-in) work.
"""

from django.utils import timezone

from sandbox.api.errors import not_found
from sandbox.auth.access import AccessToken
from sandbox.models import User


def revoke_user_tokens(token: AccessToken, user_type: str, company_id: str, user_id: str):
    """Revoke the tokens of the admin, buyer or supplier user (404 when there is none).

    A buyer or supplier user's token reaches only its own company's users. The roles
    are the operation's (`*.RevokeUserTokens`), checked before.
    """
    caller = token.user
    if caller.user_type != User.Type.ADMIN and (
        caller.user_type != user_type or caller.company_id != company_id
    ):
        raise not_found("User", user_id)
    revoked = User.objects.filter(
        marketplace_id=token.marketplace.pk,
        user_type=user_type,
        company_id=company_id,
        oc_id=user_id,
    ).update(tokens_valid_after=timezone.now())
    if not revoked:
        raise not_found("User", user_id)
