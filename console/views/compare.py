"""Compare as: the composed request sent once per chosen context, the answers side by side
with their differences marked (console.compare)."""

from http import HTTPStatus

from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_POST

from console import compare as comparing
from console import compose, contexts, oauth
from console.views import history as history_views
from console.views import send
from console.views.common import HtmxHttpRequest, render_page


@sensitive_variables("answers")
@require_POST
@never_cache
def compare(request: HtmxHttpRequest):
    """Send the composed request as each ticked context, one after the other."""
    composed = compose.composed_from(request.POST)
    send_as = request.POST.get("context")
    ids = dict.fromkeys(request.POST.getlist("compare"))
    chosen = [c for c in (contexts.get(request.session, i) for i in ids) if c]
    errors = compose.validate(composed)
    if len(chosen) < 2:
        errors["compare"] = "Tick at least two contexts to compare as."
    elif len(chosen) > comparing.MAX_CONTEXTS:
        errors["compare"] = f"Compare as {comparing.MAX_CONTEXTS} contexts at most."
    for context in chosen:
        if context.environment is None:
            errors["compare"] = (
                f"{context.environment_id} is no longer configured: sign out of {context.name}."
            )
        elif not errors and (message := send.outside(context.environment, composed)):
            errors["path"] = message
    if errors:
        status = HTTPStatus.UNPROCESSABLE_ENTITY
        return send.refused(request, composed, errors, status, send_as)
    answers = [
        (context.name, oauth.send_as(request.session, context.environment, composed, context))
        for context in chosen
    ]
    for _, sent in answers:
        history_views.record_steps(request, sent.steps, composed)
    page = {
        **send.page(request, composed, send_as),
        "comparison": comparing.compare(answers),
        "status_oob": bool(request.htmx),
    }
    return render_page(request, f"{send.TEMPLATE}#workspace", page)
