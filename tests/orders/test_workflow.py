"""The order state table, walked pair by pair: every (state, action) through the services, the
dashboard's buttons, the admin's buttons on a part's page and the buyer's cancel."""

import pytest

from orders import services, workflow
from orders.exceptions import InvalidTransition
from orders.models import CooperativeOrder, Order, OrderEvent
from tests.dashboard import make_stall
from tests.factories import ProductFactory, placed_order

pytestmark = pytest.mark.django_db

STATES = [
    "new",
    "new+paid",
    "confirmed",
    "confirmed+paid",
    "shipped",
    "shipped+paid",
    "delivered",
    "delivered+paid",
    "cancelled",
    "cancelled+paid",
]
# Written out by hand, not read from the table: what a stall (or an admin) may do in each state.
STALL_MAY = {
    "new": {"confirm", "paid", "cancel"},
    "new+paid": {"confirm", "cancel"},
    "confirmed": {"ship", "paid", "cancel"},
    "confirmed+paid": {"ship", "cancel"},
    "shipped": {"deliver", "paid"},
    "shipped+paid": {"deliver"},
    "delivered": {"paid"},
    "delivered+paid": set(),
    "cancelled": set(),
    "cancelled+paid": set(),
}
# Cash on delivery is collected at the door and "deliver" records it: no payment before that.
COD_STATES = ["new", "confirmed", "shipped", "delivered+paid", "cancelled"]
COD_STALL_MAY = {
    "new": {"confirm", "cancel"},
    "confirmed": {"ship", "cancel"},
    "shipped": {"deliver"},
    "delivered+paid": set(),
    "cancelled": set(),
}
MAY = {"bank_transfer": STALL_MAY, "cod": COD_STALL_MAY}
METHOD_STATES = [
    *(("bank_transfer", state) for state in STATES),
    *(("cod", state) for state in COD_STATES),
]
BUYER_MAY_CANCEL = {"new"}
ACTIONS = ["confirm", "ship", "deliver", "paid", "cancel"]
FIELDS = {"ship": {"carrier": "viettel_post", "tracking_number": "VTP1"}, "cancel": {"reason": "Hết hàng"}}
STEPS = {
    "confirmed": ["confirm"],
    "shipped": ["confirm", "ship"],
    "delivered": ["confirm", "ship", "deliver"],
}


def part_in(state: str, *, payment_method: str = "bank_transfer", product=None) -> CooperativeOrder:
    """A fresh one-part order brought to `state` ("shipped+paid": the money came first; for cash
    on delivery "deliver" records it)."""
    order = placed_order({product or ProductFactory(stock=5): 1}, payment_method=payment_method)
    part = order.cooperative_orders.get()
    status, _plus, paid = state.partition("+")
    if paid and payment_method == "bank_transfer":
        services.cooperative_order_mark_paid(cooperative_order=part, actor=None)
    if status == "cancelled":
        services.cooperative_order_cancel(cooperative_order=part, actor=None, reason="Hết mùa")
    for step in STEPS.get(status, []):
        services.cooperative_order_apply(
            cooperative_order=part, action=step, actor=None, **FIELDS.get(step, {})
        )
    part.refresh_from_db()
    assert part.is_paid == bool(paid)
    return part


@pytest.mark.parametrize(("payment_method", "state"), METHOD_STATES)
def test_the_table_says_what_the_stall_and_the_buyer_may_do(payment_method, state):
    """allowed() agrees with the hand-written expectation for every actor in every state, and
    refusal() names a reason exactly where it refuses the stall."""
    part = part_in(state, payment_method=payment_method)
    for by in workflow.Actor:
        for action in [*ACTIONS, "buyer_cancel"]:
            expected = (
                action in MAY[payment_method][state]
                if action != "buyer_cancel"
                else state in BUYER_MAY_CANCEL and by == workflow.Actor.BUYER
            )
            if action != "buyer_cancel" and by == workflow.Actor.BUYER:
                expected = False
            assert workflow.allowed(part, action, by=by) == expected, (state, action, by)
    for action in ACTIONS:
        assert bool(workflow.refusal(part, action)) == (action not in MAY[payment_method][state]), action


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", STATES)
def test_every_state_and_action_through_the_services(state, action):
    """The service does what the table allows, with one event, and refuses the rest changing nothing."""
    part = part_in(state)
    before = CooperativeOrder.objects.values().get(pk=part.pk)
    events = OrderEvent.objects.count()
    if action in STALL_MAY[state]:
        services.cooperative_order_apply(
            cooperative_order=part, action=action, actor=None, **FIELDS.get(action, {})
        )
        target = workflow.ACTIONS[action].target or before["status"]
        assert part.status == target
        assert OrderEvent.objects.count() == events + 1
        if action == "paid":
            assert part.is_paid
    else:
        with pytest.raises(InvalidTransition):
            services.cooperative_order_apply(
                cooperative_order=part, action=action, actor=None, **FIELDS.get(action, {})
            )
        assert CooperativeOrder.objects.values().get(pk=part.pk) == before
        assert OrderEvent.objects.count() == events


@pytest.mark.parametrize("state", STATES)
def test_the_buyer_cancels_only_where_the_table_says(state):
    """can_cancel and order_cancel agree with the table for a one-stall order in every state."""
    part = part_in(state)
    order = Order.objects.get(pk=part.order_id)
    assert order.can_cancel == (state in BUYER_MAY_CANCEL)
    if state in BUYER_MAY_CANCEL:
        services.order_cancel(order=order)
        part.refresh_from_db()
        assert part.status == "cancelled"
    else:
        with pytest.raises(InvalidTransition):
            services.order_cancel(order=order)


@pytest.mark.parametrize(
    ("payment_method", "state"),
    [
        *(
            ("bank_transfer", state)
            for state in ["new", "new+paid", "confirmed", "shipped", "delivered+paid", "cancelled"]
        ),
        *(("cod", state) for state in COD_STATES),
    ],
)
def test_dashboard_buttons_are_the_table_s_next_steps(client, state, payment_method):
    """The stall's order page has a form for each next step the table offers, and no other; the
    "money received" button only for bank transfers (cash is recorded on delivery)."""
    stall = make_stall()
    part = part_in(state, payment_method=payment_method, product=stall.product)
    client.force_login(stall.member)
    page = client.get(f"/dashboard/orders/{part.pk}/").content.decode()
    offered = {a for a in MAY[payment_method][state] if a != "paid" or payment_method == "bank_transfer"}
    assert page.count('method="post" action="/dashboard/orders/') == len(offered)
    for action in ACTIONS:
        assert (f'action="/dashboard/orders/{part.pk}/{action}/"' in page) == (action in offered), action


def test_cash_on_delivery_is_recorded_once_delivered_not_before(client):
    """Marking a cash-on-delivery part paid before the parcel reached the buyer is refused with
    the reason, nothing changed; delivering records the cash, and a delivered part whose cash was
    not recorded can be marked paid."""
    stall = make_stall()
    part = part_in("new", payment_method="cod", product=stall.product)
    client.force_login(stall.member)
    url = f"/dashboard/orders/{part.pk}/"
    for step, now in (("confirm", "Mới đặt"), ("ship", "Đã xác nhận"), ("deliver", "Đang giao")):
        before = CooperativeOrder.objects.values().get(pk=part.pk)
        page = client.post(f"{url}paid/", follow=True).content.decode()
        assert (
            f"Không thể ghi nhận thanh toán: đơn {part.order.code} chọn “Trả tiền khi nhận hàng”, nên chỉ "
            f"làm được khi phần đơn ở trạng thái “Đã giao”; bây giờ là “{now}”."
        ) in page
        assert CooperativeOrder.objects.values().get(pk=part.pk) == before
        assert not part.events.filter(kind="paid").exists()
        client.post(f"{url}{step}/", FIELDS.get(step, {}))
    part.refresh_from_db()
    assert (part.status, part.is_paid) == ("delivered", True)
    assert "đã được ghi nhận thanh toán rồi" in client.post(f"{url}paid/", follow=True).content.decode()
    # "deliver" records the cash itself, so a delivered part without it is made by hand here.
    CooperativeOrder.objects.filter(pk=part.pk).update(is_paid=False, paid_at=None)
    page = client.post(f"{url}paid/", follow=True).content.decode()
    assert f"Đã ghi nhận tiền của đơn {part.order.code}." in page
    part.refresh_from_db()
    assert part.is_paid and part.events.filter(kind="paid").count() == 1


def test_every_home_of_an_action_knows_the_same_actions():
    """The services, what they tell, the dashboard's and the admin's messages and the admin's list
    actions all cover exactly the table's stall and staff actions: adding one to the table without
    the rest fails here."""
    from orders import admin as orders_admin
    from orders import dashboard_views
    from orders.services import status

    stall = set(workflow.names_for(workflow.Actor.STALL))
    staff = set(workflow.names_for(workflow.Actor.STAFF))
    assert stall == staff == set(ACTIONS)
    assert set(status._SERVICES) == set(status._TELL) == stall
    assert set(dashboard_views.DONE) == stall
    assert set(orders_admin.DONE) == staff
    admin_actions = {getattr(a, "__name__", a) for a in orders_admin.CooperativeOrderAdmin.actions}
    assert admin_actions == {"confirm", "ship", "deliver", "mark_paid", "cancel", "export_csv"}


@pytest.mark.parametrize(
    ("payment_method", "state"),
    [
        *(
            ("bank_transfer", state)
            for state in ["new", "confirmed+paid", "shipped", "delivered", "delivered+paid", "cancelled"]
        ),
        *(("cod", state) for state in ["new", "shipped", "delivered+paid"]),
    ],
)
def test_admin_part_page_buttons_are_the_table_s(client, payment_method, state):
    """A part's admin page has one button per action staff may take from its state, and no other."""
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="quantri", is_staff=True, is_superuser=True))
    part = part_in(state, payment_method=payment_method)
    page = client.get(f"/admin/orders/cooperativeorder/{part.pk}/change/").content.decode()
    for action in ACTIONS:
        shown = f'action="/admin/orders/cooperativeorder/{part.pk}/act/{action}/"' in page
        assert shown == (action in MAY[payment_method][state]), action
