import sys

from . import engine, replay, sensitivity
from .harness import print_table

results = engine.run() + sensitivity.run() + replay.run()
sys.exit(print_table(results))
