import sys

from . import engine
from .harness import print_table

results = engine.run()
sys.exit(print_table(results))
