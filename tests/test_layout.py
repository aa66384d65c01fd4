"""Where code lives: rules in keyword-only, typed services and selectors, thin views, and template
tag modules that no Python module imports (import-linter in `make lint` checks the packages)."""

import ast
import importlib
import inspect
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("storefront", "products", "orders", "reviews")
# Every module that holds rules (writes) or page queries (reads), in both apps.
RULE_MODULES = [
    "products.services",
    "products.selectors",
    "products.derived",
    "orders.services.cart",
    "orders.services.checkout",
    "orders.services.placing",
    "orders.services.status",
    "orders.services.transfers",
    "orders.selectors",
    "orders.dashboard_selectors",
    "orders.sales",
    "orders.statements",
    "orders.notifications",
    "orders.carriers",
    "reviews.services",
    "reviews.selectors",
]
VIEW_MODULES = ["storefront/views.py", "storefront/dashboard.py", "products/posters.py"] + [
    str(path.relative_to(ROOT))
    for package in ("products", "orders", "reviews")
    for path in (ROOT / package).glob("*views.py")
]
# "About 30 lines": a view parses the request, calls a selector or a service and renders.
VIEW_MAX_LINES = 32


def _public_functions(module_name: str):
    module = importlib.import_module(module_name)
    for name, function in vars(module).items():
        if not name.startswith("_") and inspect.isfunction(function) and function.__module__ == module_name:
            yield name, function


@pytest.mark.parametrize("module_name", RULE_MODULES)
def test_services_and_selectors_take_keyword_only_typed_arguments(module_name):
    """Every public service and selector takes keyword-only, annotated arguments and says what
    it returns, so a call reads as what it means and an argument cannot land in the wrong place."""
    checked = 0
    for name, function in _public_functions(module_name):
        signature = inspect.signature(function)
        for parameter in signature.parameters.values():
            assert parameter.kind in (parameter.KEYWORD_ONLY, parameter.VAR_KEYWORD), (
                f"{name}({parameter.name})"
            )
            assert parameter.annotation is not parameter.empty, f"{name}({parameter.name}) has no type"
        assert signature.return_annotation is not signature.empty, f"{name} has no return type"
        checked += 1
    assert checked, f"{module_name} has no public functions: is the list above out of date?"


def _python_files():
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_no_module_imports_a_template_tag_module():
    """Template tag modules are thin wrappers for templates; the code they wrap lives elsewhere."""
    offenders = []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            ours = [name for name in names if name.startswith(PACKAGES) and ".templatetags" in name]
            if ours and "templatetags" not in path.parts:
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.parametrize("path", VIEW_MODULES)
def test_views_stay_thin(path):
    """No view function (or helper in a views module) grows past about 30 lines."""
    tree = ast.parse((ROOT / path).read_text())
    long = [
        (node.name, node.end_lineno - node.lineno + 1)
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.end_lineno - node.lineno + 1 > VIEW_MAX_LINES
    ]
    assert long == []
