"""Errors a user can do something about, kept apart from bugs.

Only subclasses of :class:`UserError` reach people as messages (one clear line in the
CLI, a dialog in the GUI); anything else is a bug and is reported as such.
"""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix or needs to know; the message is shown as it is."""


class WrongPassphrase(UserError):
    def __init__(self, what: str = "passphrase") -> None:
        super().__init__(f"That {what} is not right for this vault. Nothing was changed.")


class VaultDamaged(UserError):
    """The key is right but the database is damaged: nothing is written to it."""


class VaultNotAsLastSeen(UserError):
    """The vault on disk is not the one last opened on this computer (older, empty, cut
    short, or its state marker is missing, damaged or another vault's). Nothing was
    written; the way out is a restore, a read-only look, or adopting it deliberately."""


class VaultRolledBack(VaultNotAsLastSeen):
    """The database is empty, cut short, has no tables, or is older than the marker."""


class StateMarkerProblem(VaultNotAsLastSeen):
    """The state marker (vault.state) is missing, damaged or belongs to another vault."""


class VaultReadOnly(UserError):
    """A write was attempted on a vault opened read-only."""


class VaultMissing(UserError):
    pass


class VaultExists(UserError):
    pass


class VaultInUse(UserError):
    pass


class VaultTooNew(UserError):
    pass


class KeyringUnavailable(UserError):
    """The OS keyring cannot be trusted here; the passphrase is needed instead."""


class NotFound(UserError):
    pass


class InvalidInput(UserError):
    """Input that does not fit: the message lists every problem."""


class TemplateProblem(UserError):
    pass
