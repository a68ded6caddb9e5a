import sys

from . import engine, group, replay, scaling, sensitivity, tree, tui
from .harness import print_table

results = engine.run() + tree.run() + sensitivity.run() + group.run() + replay.run() + tui.run() + scaling.run()
sys.exit(print_table(results))
