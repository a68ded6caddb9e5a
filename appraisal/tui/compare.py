"""The workshop app's comparisons: two options side by side, snapshots taken and compared. A mixin of
WorkshopApp (contract: tui/host.py); its screens (tui/comparisons.py) load when first opened, so
start-up does not pay for them."""

from __future__ import annotations

from ..errors import AppraisalError
from ..reports.compare import default_pair
from .host import Host
from .modals import PromptScreen


class CompareActions(Host):
    """The workshop app's comparisons: two options, snapshots taken and compared."""

    def action_compare(self) -> None:
        view = self.view
        pair = default_pair(view.appraisal, view.evaluation)
        if pair is None:
            self.notify("There is only one option: nothing to compare it with.", severity="warning")
            return
        from .comparisons import CompareScreen

        self.push_screen(CompareScreen(*pair))

    def action_take_snapshot(self) -> None:
        def done(name: str | None) -> None:
            if not name:
                return
            try:
                snap = self.session.take_snapshot(name)
            except AppraisalError as e:
                self.notify(e.message, severity="error", title="No snapshot taken")
                return
            where = "kept in the journal" if self.session.journal else "kept for this window only (nothing is written from it)"
            self.notify(f"Snapshot '{snap.name}' taken, {where}. Compare it with now: B.")

        n = len(self.session.snapshots) + 1
        self.push_screen(PromptScreen("Name this snapshot (e.g. before lunch)", value=f"Snapshot {n}",
                                      hint="Enter to take it, Escape to cancel. Snapshots are kept in the journal, beside the file."), done)

    def action_compare_snapshots(self) -> None:
        snapshots = self.session.snapshots
        if not snapshots:
            self.notify("No snapshots yet: take one with b (or 'Take snapshot' in the palette).", severity="warning")
            return
        from .comparisons import SnapshotScreen

        self.push_screen(SnapshotScreen(snapshots[-1].name))
