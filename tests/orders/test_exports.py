"""CSV exports: one writer for admin and dashboard, and buyer text never runs as a formula."""

import csv
import io

import pytest

from orders.exports import cell_safe
from tests.dashboard import make_stall
from tests.factories import UserFactory, placed_order

pytestmark = pytest.mark.django_db

HOSTILE = {
    "full_name": '=HYPERLINK("http://evil.example","Bấm")',
    "commune": "+xã Lũng Phìn",
    "street_address": "@SUM(1+1)",
    "email": "-2+3@example.vn",
}


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+84912345678", "'+84912345678"),
        ("-5", "'-5"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Nguyễn Thị Lan", "Nguyễn Thị Lan"),
        ("0912345678", "0912345678"),
        ("a=b", "a=b"),
        ("", ""),
        (250000, 250000),
    ],
)
def test_cells_that_could_start_a_formula_are_quoted(value, shown):
    """Text starting with = + - @ tab or CR gets a leading apostrophe; other values are unchanged."""
    assert cell_safe(value) == shown


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def assert_neutralised(header: list[str], row: list[str]) -> None:
    cells = dict(zip(header, row, strict=True))
    assert cells["người nhận"] == "'" + HOSTILE["full_name"]
    assert any(value in ("'" + HOSTILE["street_address"], "'@SUM(1+1), +xã Lũng Phìn") for value in row)
    assert not any(value[:1] in ("=", "+", "-", "@") for value in row)


def test_admin_export_neutralises_formulas_typed_by_a_buyer(client):
    """The admin CSV quotes a buyer's name and address that start like a formula."""
    stall = make_stall()
    order = placed_order({stall.product: 1}, **HOSTILE)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post("/admin/orders/order/", {"action": "export_csv", "_selected_action": [order.pk]})
    header, row = rows_of(response)
    assert_neutralised(header, row)
    assert dict(zip(header, row, strict=True))["email"] == "'" + HOSTILE["email"]


def test_dashboard_export_neutralises_formulas_typed_by_a_buyer(client):
    """The stall's CSV quotes a buyer's name and address that start like a formula."""
    stall = make_stall()
    order = placed_order({stall.product: 1}, **HOSTILE)
    client.force_login(stall.member)
    day = order.created_at.astimezone().date().isoformat()
    response = client.get(f"/dashboard/orders/export/?start={day}&end={day}")
    header, row = rows_of(response)
    assert_neutralised(header, row)


def test_admin_and_dashboard_exports_share_their_common_columns(client):
    """Both exports come from one writer: the columns they share hold the same values."""
    stall = make_stall()
    order = placed_order({stall.product: 2})
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    admin = rows_of(
        client.post("/admin/orders/order/", {"action": "export_csv", "_selected_action": [order.pk]})
    )
    client.force_login(stall.member)
    day = order.created_at.astimezone().date().isoformat()
    dashboard = rows_of(client.get(f"/dashboard/orders/export/?start={day}&end={day}"))
    admin_cells = dict(zip(*admin, strict=True))
    dashboard_cells = dict(zip(*dashboard, strict=True))
    shared = set(admin_cells) & set(dashboard_cells)
    assert {"mã đơn", "sản phẩm", "cộng", "đơn vị vận chuyển"} <= shared
    assert {key: admin_cells[key] for key in shared} == {key: dashboard_cells[key] for key in shared}


def test_phone_is_written_so_spreadsheets_keep_the_leading_zero(client):
    """The phone column holds "0912 345 678" (text in Excel), not 0912345678 (a number there)."""
    stall = make_stall()
    order = placed_order({stall.product: 1})
    client.force_login(stall.member)
    day = order.created_at.astimezone().date().isoformat()
    header, row = rows_of(client.get(f"/dashboard/orders/export/?start={day}&end={day}"))
    assert dict(zip(header, row, strict=True))["điện thoại"] == "0912 345 678"
