"""Approvals and spending accounts under concurrent requests against the live server:
approvals of one order at the same moment decide it once; orders paid from one budget
submitted at once never overdraw it."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from sandbox.models import Order, OrderApproval, SpendingAccount
from tests.sandbox.test_concurrency import THREADS, admin, at_once  # noqa: F401 (fixture)
from tests.sandbox.test_order_concurrency import order_of, shop  # noqa: F401 (fixture)


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_decide_the_order_once(shop):  # noqa: F811
    assert shop("POST", "/buyers/b1/usergroups", {"ID": "managers", "Name": "M"}).ok
    rule = {"ID": "any", "ApprovingGroupID": "managers", "RuleExpression": "order.Total > 1"}
    assert shop("POST", "/buyers/b1/approvalrules", rule).status_code == 201
    order_of(shop, "o1", 1)
    assert shop("POST", "/orders/Incoming/o1/submit").json()["Status"] == "AwaitingApproval"

    statuses = at_once(shop, "POST", "/orders/Incoming/o1/approve", [{}] * THREADS)

    assert Counter(statuses) == {201: 1, 400: THREADS - 1}
    assert Order.objects.get(oc_id="o1").status == "Open"
    assert list(OrderApproval.objects.values_list("status", flat=True)) == ["Approved"]


@pytest.mark.django_db(transaction=True)
def test_orders_paid_from_one_budget_never_overdraw_it(shop):  # noqa: F811
    account = {"ID": "budget", "Name": "B", "Balance": 10, "AllowAsPaymentMethod": True}
    assert shop("POST", "/buyers/b1/spendingaccounts", account).status_code == 201
    assignment = {"SpendingAccountID": "budget"}
    assert shop("POST", "/buyers/b1/spendingaccounts/assignments", assignment).ok
    shop("PATCH", "/products/p1", {"Inventory": {"Enabled": False}})
    payment = {"Type": "SpendingAccount", "SpendingAccountID": "budget", "Amount": 4}
    for n in range(THREADS):
        order_of(shop, f"o{n}", 1)
        created = shop("POST", f"/orders/Incoming/o{n}/payments", payment)
        assert created.status_code == 201, created.content
    barrier = threading.Barrier(THREADS)

    def submit(n):
        barrier.wait()
        return shop("POST", f"/orders/Incoming/o{n}/submit").status_code

    with ThreadPoolExecutor(THREADS) as pool:
        statuses = list(pool.map(submit, range(THREADS)))

    assert Counter(statuses) == {201: 2, 400: THREADS - 2}  # 10 pays for two orders of 4
    assert SpendingAccount.objects.get(oc_id="budget").balance == 2
    assert Order.objects.filter(status="Open").count() == 2
