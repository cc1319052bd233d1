"""Who may call the staff endpoints: staff holding the model permissions each method needs."""

from rest_framework.permissions import BasePermission


class StaffModelPermissions(BasePermission):
    """Active staff holding every Django permission the view names for the request's method,
    as `required_permissions = {"PATCH": ("catalog.change_product",)}`; superusers hold all.

    A method the view handles but does not name is refused, so a new handler cannot go out
    unguarded; one it does not handle passes on to DRF's 405. OPTIONS only describes the view.
    """

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active and user.is_staff):
            return False
        if request.method == "OPTIONS":
            return True
        required = getattr(view, "required_permissions", {}).get(request.method)
        if required is None:
            return not hasattr(view, request.method.lower())
        return user.has_perms(required)
