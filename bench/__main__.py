import sys

from . import engine, sensitivity
from .harness import print_table

results = engine.run() + sensitivity.run()
sys.exit(print_table(results))
