"""Who may do what in the admin and the staff previews: one test, used everywhere."""

PUBLISH_PERMISSION = "evaluations.publish_evaluation"


def allowed(user, permission: str) -> bool:
    """An active staff member holding `permission` ("evaluations.change_evaluation")."""
    return bool(user.is_active and user.is_staff and user.has_perm(permission))
