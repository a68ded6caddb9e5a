"""The value tree in the workshop app: groups folded and unfolded, group weights set and nudged, cells
typed in (a measure in its unit, or a score), and the value-function and value-for-money screens. A mixin
of WorkshopApp (contract: tui/host.py); its screens (tui/value_screens.py) load when first opened."""

from __future__ import annotations

from ..model.scenario import GroupWeightStep, MeasureStep
from ..reports.workshop import nudged
from .host import Host
from .matrix import ScoreMatrix
from .modals import PromptScreen, measure_prompt, score_prompt, weight_prompt
from .panels import ShareStripLine

GLOBAL_WEIGHTS = ("Weights are global in this file: its groups only give subtotals (each group's weight is the sum of its "
                  "criteria's). Set the criteria's weights (w on their rows), or give the file [group_weights] to weight groups.")


class TreeActions(Host):
    """Folding groups, group weights, typed cells, and the value-function and value-for-money screens."""

    _strip_for: str | None

    @property
    def matrix(self) -> ScoreMatrix:
        return self.main.query_one(ScoreMatrix)

    def here_group(self) -> str | None:
        """The group whose row the matrix's cursor is on, if any."""
        return self.matrix.group_at_cursor(self.view)

    # --- folding ------------------------------------------------------------------------------
    def action_fold(self) -> None:
        """Fold or unfold the group under the cursor (on a criterion: the group it sits in)."""
        layout, _ = self.view.tree()
        if layout is None:
            self.notify("This appraisal has no groups to fold: its criteria are not arranged into a value tree.", severity="warning")
            return
        group = self.here_group()
        if group is None:
            _, criterion = self.here()
            group = layout.enclosing(criterion) if criterion is not None else None
        if group is None:
            self.notify("This criterion sits at the top of the tree, in no group: move to a group's row to fold it.", severity="warning")
            return
        matrix = self.matrix
        matrix.set_folded(matrix.folded ^ {group}, keep=group)
        self._refit()

    def action_fold_all(self) -> None:
        """Fold every group (each shows its subtotal row only), or unfold them all when all are folded."""
        layout, _ = self.view.tree()
        if layout is None:
            self.notify("This appraisal has no groups to fold: its criteria are not arranged into a value tree.", severity="warning")
            return
        matrix = self.matrix
        groups = frozenset(layout.group_ids)
        here = self.here_group() or self.here()[1]
        if groups <= matrix.folded:
            matrix.set_folded(frozenset(), keep=here)
        else:  # the cursor goes to the top-level group it was in (the rest fold away)
            row = next((r for r in layout.rows if r.id == here), None)
            keep = (row.ancestors[-1] if row.ancestors else row.id) if row is not None else None
            matrix.set_folded(groups, keep=keep)
        self._refit()

    def _refit(self) -> None:
        """The matrix has other rows: the rankings under it take the room it leaves or needs."""
        self.main.query_one("#work").fit()  # type: ignore[attr-defined]

    # --- group weights ------------------------------------------------------------------------
    def _group_weight_editable(self, group: str) -> bool:
        if not self.editable():
            return False
        if self.viewing is not None:
            self.notify("Group weights are the appraisal's, not a participant's: switch (g) to the appraisal to change them.",
                        severity="warning")
            return False
        if self.view.appraisal.group_weights is None:
            self.notify(GLOBAL_WEIGHTS, severity="warning", title="Groups give subtotals")
            return False
        return True

    def edit_group_weight(self, group: str) -> None:
        if not self._group_weight_editable(group):
            return
        shown = self.view.appraisal
        weight = shown.group_weights[group]  # type: ignore[index]

        def done(value: str | None) -> None:
            if value is not None and float(value) != weight:
                self.edit(GroupWeightStep(action="set-group-weight", group=group, weight=float(value)))

        self.push_screen(weight_prompt(shown.group_node(group).name, weight, group=True), done)

    def nudge_group(self, group: str, direction: int) -> None:
        if not self._group_weight_editable(group):
            return
        view = self.view
        old = float(view.appraisal.group_weights[group])  # type: ignore[index]
        new = nudged(old, view.group_nudge_step(group), direction)
        if new == old:
            self.notify(f"The weight of the group {view.appraisal.group_node(group).name} is already 0.", severity="warning")
            return
        self._strip_for = group
        if not self.edit(GroupWeightStep(action="set-group-weight", group=group, weight=new), ask=False):
            self._strip_for = None
        self.main.query_one(ShareStripLine).show_strip(self.view.share_strip(group) if self._strip_for else None)

    # --- typing a cell ------------------------------------------------------------------------
    def action_edit_cell(self) -> None:
        """Enter: on a group's row, fold or unfold it; on a measured cell, type its measure (in its unit);
        on a scored cell, type its score (any value the scale allows, not only 1 to 9)."""
        if self.here_group() is not None:
            self.action_fold()
            return
        self.type_cell()

    def type_cell(self, start: str = "") -> None:
        option, criterion = self.here()
        if option is None or criterion is None:
            self.notify("Move the cursor onto a score first.", severity="warning")
            return
        if not self.editable():
            return
        shown = self.view.appraisal
        c, cell = shown.criterion(criterion), shown.cell(option, criterion)
        where = f"{shown.option(option).label} / {c.name}"
        if c.measured:
            if self.viewing is not None:
                self.notify("Measures are the appraisal's, not a participant's: switch (g) to the appraisal to change them.",
                            severity="warning")
                return

            def measured(value: str | None) -> None:
                if value is not None and float(value) != cell.measure:
                    self.edit(MeasureStep(action="set-measure", option=option, criterion=criterion, measure=float(value)))

            self.push_screen(measure_prompt(where, c.unit, start or ("" if cell.measure is None else f"{cell.measure:g}")), measured)
            return

        def scored(value: str | None) -> None:
            if value is not None and float(value) != cell.score:
                self.set_score(float(value))

        self.push_screen(score_prompt(where, shown.scale, start or ("" if cell.score is None else f"{cell.score:g}")), scored)

    # --- the screens --------------------------------------------------------------------------
    def action_value_function(self) -> None:
        shown = self.view.appraisal
        measured = [c for c in shown.criteria if c.measured]
        if not measured:
            self.notify("No criterion here is measured in natural units: every score is given on the scale.", severity="warning")
            return
        _, criterion = self.here()
        if criterion is None or not shown.criterion(criterion).measured:
            names = ", ".join(c.name for c in measured)
            self.notify(f"Move to a measured criterion's row first (measured here: {names}).", severity="warning")
            return
        from .value_screens import ValueFunctionScreen

        self.push_screen(ValueFunctionScreen(criterion))

    def action_value_for_money(self) -> None:
        if self.view.value_for_money() is None:
            self.notify("No option has a cost in this file: give options a `cost` (and [appraisal] cost_unit) to set value against cost.",
                        severity="warning")
            return
        from .value_screens import ValueForMoneyScreen

        self.push_screen(ValueForMoneyScreen())

    def tree_action_shown(self, action: str) -> bool | None:
        """The tree's keys appear (in the footer, the palette) only where they apply: folding with groups,
        the value function with a measured criterion, value for money with costs. None: not a tree action."""
        view = self.view
        if view is None or action not in TREE_ACTIONS:
            return None
        a = view.appraisal
        if action in ("fold", "fold_all"):
            return bool(a.groups)
        if action == "value_function":
            return any(c.measured for c in a.criteria)
        return a.has_costs


TREE_ACTIONS = {"fold", "fold_all", "value_function", "value_for_money"}
