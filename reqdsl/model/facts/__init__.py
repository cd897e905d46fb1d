"""Facts of the model that rules, pages, reports, diagrams and exports all read.

A fact (a requirement's gaps, a threat being handled, a data element being personal, a
flow crossing a trust boundary, an option's weighted total) is decided here once; a rule
module turns some of them into diagnostics, a page or report shows them. Nothing here
registers a rule, so showing a fact never loads the rule families.
"""
