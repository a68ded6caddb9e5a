"""The spreadsheet layout the exports write and `appraisal import` reads back: header cells and the
labels of the rows around the score matrix."""

HEAD = ["Criterion", "id", "In use", "Weight", "Share"]
ID_ROW = "id"
IN_RANKING_ROW = "In ranking"
FOOTER_ROWS = ["Unweighted total", "Weighted total", "Weighted %", "Rank (unweighted)", "Rank (weighted)"]
RATIONALE_HEAD = ["Option", "Criterion", "Score", "Label (scale)", "Label as printed", "Rationale", "Note"]
COST_ROW = "Cost"  # written when options have costs
TREE_HEAD = ["Group", "Unit"]  # after HEAD, when criteria are grouped or measured in natural units
# The long layout (csv-long): one row per option and criterion.
LONG_HEAD = ["option_id", "option", "criterion_id", "criterion", "score", "label", "label_printed", "weight", "share", "in_use", "in_ranking", "rationale"]
# The xlsx Scores sheet of a value tree (or of natural units or costs): after the options, the columns
# its formulas work from; below the criteria, the top level's weight; below the totals, value for money.
TREE_HELPERS = ["Kind", "Weight in use", "Children's weight", "Local share"]
TOP_WEIGHT_ROW = "Top-level weight"
VALUE_FOR_MONEY_ROWS = ["Value per cost", "On the frontier"]
# Rows an officer's own sheet ends with: skipped (with a note) below the criteria, never read as criteria.
OFFICER_FOOTERS = ["Total", "Totals", "Total score", "Weighted total", "Unweighted total", "Weighted score", "Score", "Scores",
                   "Sum", "Grand total", "Overall score", "Average", "Mean", "Rank", "Ranking", "Weighted %"]
