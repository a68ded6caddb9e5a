import sys

from . import engine, group, replay, room, scaling, sensitivity, tree, tui
from .harness import compile_like_an_install, print_table

compile_like_an_install()

results = engine.run() + tree.run() + sensitivity.run() + group.run() + room.run() + replay.run() + tui.run() + scaling.run()
sys.exit(print_table(results))
