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
    # requirement types, priorities, difficulty, test kinds and results, languages
    N_("acceptance"), N_("availability"), N_("compatibility"), N_("compliance"), N_("constraint"),
    N_("could"), N_("difficult"), N_("easy"), N_("functional"), N_("integration"),
    N_("interface"), N_("maintainability"), N_("must"), N_("nominal"), N_("open"),
    N_("penetration"), N_("performance"), N_("portability"), N_("privacy"), N_("reliability"),
    N_("safety"), N_("security"), N_("should"), N_("unit"), N_("usability"),
    N_("vulnerability"), N_("wont"), N_("passed"), N_("failed"), N_("skipped"),
    N_("not-run"), N_("system"), N_("en"), N_("fr"),
    # GDPR roles (Art. 4, 26, 28) and DPIA outcomes (Art. 35)
    N_("controller"), N_("joint-controller"), N_("processor"), N_("sub-processor"),
    N_("recipient"), N_("third-party"), N_("data-subject"), N_("required"),
    N_("not-required"),
})  # fmt: skip

# The field names, as the element pages show them (the files keep writing them as is).
FIELDS = frozenset({
    N_("actors"), N_("addresses"), N_("attack"), N_("authenticated"), N_("automated-by"),
    N_("carries"), N_("category"), N_("chosen"), N_("compliance"), N_("conflicts-with"),
    N_("consequences"), N_("context"), N_("covers"), N_("date"), N_("definition"),
    N_("depends-on"), N_("derives-from"), N_("description"), N_("difficulty"), N_("encrypted"),
    N_("evidence"), N_("expected"), N_("extends"), N_("findings"), N_("from"),
    N_("ignore"), N_("impact"), N_("includes"), N_("inside"), N_("justification"),
    N_("kind"), N_("language"), N_("lawful-basis"), N_("level"), N_("likelihood"),
    N_("method"), N_("mitigates"), N_("outcome"), N_("owner"), N_("preconditions"),
    N_("priority"), N_("protocol"), N_("purpose"), N_("rationale"), N_("realizes"),
    N_("refines"), N_("retention"), N_("reviewers"), N_("revision"), N_("risk"),
    N_("satisfies"), N_("scope"), N_("scores"), N_("source"), N_("special-condition"),
    N_("stakeholder"), N_("stamp"), N_("statement"), N_("status"), N_("steps"),
    N_("stores"), N_("subject"), N_("subjects"), N_("supersedes"), N_("tags"),
    N_("target"), N_("technology"), N_("to"), N_("transfer"), N_("trust"),
    N_("type"), N_("verification"), N_("verifies"), N_("version"), N_("weight"),
    N_("zone"), N_("file"), N_("result"), N_("gdpr-role"), N_("contract"),
    N_("third-country"), N_("transfer-basis"), N_("residual-likelihood"),
    N_("residual-impact"),
})  # fmt: skip


def field_label(name: str) -> str:
    """A field's name as the element pages show it, in the current language."""
    return gettext(name) if name in FIELDS else name


def word_label(word: str) -> str:
    """A model word as the reader sees it, in the current language."""
    return gettext(word) if word in WORDS else word
