"""The actions a scenario step or journal edit may name: the tags of `scenario.Step`'s union, kept apart so
error messages can drop them from a key without building the steps' models."""

ACTIONS = ("exclude", "include", "set-score", "set-weight", "disable", "enable", "weights-preset", "add-participant", "remove-participant",
           "set-measure", "set-cost", "set-group-weight", "snapshot")
