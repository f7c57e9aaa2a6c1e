"""What the rest of Motcua may listen to about dossiers, without dossiers knowing who listens.

``dossier_moved`` is sent by every transition (``services.lifecycle.move``), inside its transaction, after
the new status and its history row are written and before the audit row; the first ones too: a draft sent
online (``submit``, action "submit", from 0 to 1) and a dossier registered at the desk
(``register_at_counter``, action "register", from 0 to 2; the dossier did not exist before, 0 stands for
"nothing yet"). Receivers test ``to_status`` (or ``action``) for what they react to.

A receiver that writes (the charges of a dossier sent, a refund recorded when a paid dossier is refused, a
parcel to book when its result is ready) writes in the same transaction, so the change and its consequence
commit or roll back together (a receiver that raises refuses the transition: a ValidationError reaches the
person acting); a receiver that calls an outside system enqueues a task (``core.tasks.enqueue``), which
runs only after the commit.

Arguments: ``dossier`` (locked, saved), ``action`` (a ``DossierAction`` value), ``from_status``,
``to_status``, ``by`` (the user acting, or None for the system), ``detail`` (the history row's detail).
"""

from django.dispatch import Signal

dossier_moved = Signal()
