"""Labels for the model's words where the site and the reports show them: element kinds,
levels, statuses, ratings, categories. The words themselves stay the language's keywords
(in `.req` files, in JSON); what a reader sees is translated (reqdsl/i18n.py)."""

from __future__ import annotations

from .i18n import N_, gettext

# Every word shown as a label, marked for the catalogue. A word that is not here (a
# user's custom value, an ID) is shown as written.
WORDS = frozenset({
    # element kinds
    N_("document"), N_("section"), N_("text"), N_("term"), N_("stakeholder"), N_("goal"),
    N_("requirement"), N_("actor"), N_("usecase"), N_("zone"), N_("component"), N_("data"),
    N_("flow"), N_("scenario"), N_("threat"), N_("test"), N_("decision"), N_("criterion"),
    N_("option"), N_("activity"), N_("review"),
    # levels
    N_("system"), N_("software"),
    # statuses (documents, requirements, threats, decisions, reviews, tests)
    N_("draft"), N_("review"), N_("approved"), N_("obsolete"), N_("proposed"),
    N_("implemented"), N_("verified"), N_("rejected"), N_("deprecated"), N_("identified"),
    N_("mitigated"), N_("accepted"), N_("transferred"), N_("not-applicable"),
    N_("superseded"), N_("approved-with-changes"), N_("unset"),
    # ratings and risk levels
    N_("low"), N_("medium"), N_("high"), N_("critical"), N_("unrated"),
    # data categories and trust levels
    N_("public"), N_("internal"), N_("confidential"), N_("personal"), N_("special"),
    N_("untrusted"), N_("semi-trusted"), N_("trusted"), N_("restricted"),
    # component kinds, verification methods
    N_("process"), N_("datastore"), N_("human"), N_("device"), N_("inspection"),
    N_("analysis"), N_("demonstration"),
})  # fmt: skip


def word_label(word: str) -> str:
    """A model word as the reader sees it, in the current language."""
    return gettext(word) if word in WORDS else word
