import sys

from . import engine, group, replay, sensitivity, tree, tui
from .harness import print_table

results = engine.run() + tree.run() + sensitivity.run() + group.run() + replay.run() + tui.run()
sys.exit(print_table(results))
