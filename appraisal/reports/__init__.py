"""The report layer: where numbers become text or a file. Above the engine and io, below the
session and the user interfaces.

- `ranking`, `findings`, `sensitivity`, `group`, `replay`: engine results keyed by ids, as dicts (the
  JSON shapes of the commands) with their plain-language sentences and rich renderings;
- `export` and `export_*`, `junit`: those reports as files (csv, csv-long, xlsx, md, json, html, JUnit XML).
"""
