"""Who may use which producer dashboard page, and for which cooperative.

Every dashboard view goes through `dashboard_view`: it requires a signed-in user, finds the
membership of the cooperative being worked on (kept in the session) and refuses roles that may
not use the page. Objects are looked up only through the user's own memberships, so another
cooperative's product, photo, order or member URL answers 404 and never reveals that it exists.
Staff and superusers get no special access here: they work in Django admin.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from .models import Membership

SESSION_KEY = "dashboard_cooperative_id"

Role = Membership.Role
ALL_ROLES = frozenset(Role.values)
# Helpers are volunteers from outside the cooperative: they keep the listings up to date but
# never see buyers' names, phones and addresses, nor the bank account.
ORDER_ROLES = frozenset({Role.OWNER, Role.MEMBER})
OWNER_ROLES = frozenset({Role.OWNER})


def user_memberships(user) -> list[Membership]:
    """The user's memberships with their cooperatives, read once per request."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_dashboard_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user).select_related("cooperative").order_by("cooperative__name")
        )
        user._dashboard_memberships = cached
    return cached


def membership_for(request, cooperative_id) -> Membership:
    """The user's membership of that cooperative, or 404 when they do not belong to it."""
    for membership in user_memberships(request.user):
        if membership.cooperative_id == cooperative_id:
            return membership
    raise Http404


def current_membership(request) -> Membership | None:
    """The membership chosen in this session, or the only one; None when a choice is needed."""
    memberships = user_memberships(request.user)
    chosen = request.session.get(SESSION_KEY)
    for membership in memberships:
        if membership.cooperative_id == chosen:
            return membership
    if len(memberships) == 1:
        return memberships[0]
    return None


def choose_cooperative(request, cooperative_id) -> Membership:
    """Make that cooperative (one the user belongs to) the one the dashboard works on."""
    membership = membership_for(request, cooperative_id)
    request.session[SESSION_KEY] = membership.cooperative_id
    request.membership = membership
    return membership


def can(membership: Membership | None, roles) -> bool:
    return membership is not None and membership.role in roles


def dashboard_view(roles=ALL_ROLES):
    """Decorator for dashboard views: sign-in, a current cooperative, and an allowed role.

    Sets `request.membership` (its `.cooperative` is the one being worked on). Users who belong
    to no cooperative get an explanation (403); users in several pick one first.
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not user_memberships(request.user):
                return render(request, "dashboard/no_cooperative.html", status=403)
            membership = current_membership(request)
            if membership is None:
                return redirect(
                    f"{reverse('dashboard:choose')}?{urlencode({'next': request.get_full_path()})}"
                )
            request.membership = membership
            request.dashboard_roles = roles
            request.dashboard_several = len(user_memberships(request.user)) > 1
            if membership.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def scoped_object_or_404(request, queryset, *, cooperative_field: str = "cooperative", **lookup):
    """An object of one of the user's cooperatives, or 404.

    When the object belongs to another cooperative the user is a member of, the dashboard
    switches to that cooperative (a link from an email should just work), provided the user's
    role there allows this page.
    """
    own_ids = [m.cooperative_id for m in user_memberships(request.user)]
    obj = get_object_or_404(
        queryset.annotate(scope_cooperative_id=F(f"{cooperative_field}_id")),
        scope_cooperative_id__in=own_ids,
        **lookup,
    )
    if obj.scope_cooperative_id != request.membership.cooperative_id:
        membership = membership_for(request, obj.scope_cooperative_id)
        if membership.role not in getattr(request, "dashboard_roles", ALL_ROLES):
            raise Http404
        choose_cooperative(request, obj.scope_cooperative_id)
    return obj
