"""What each element kind may hold: its fields, their value kinds, enumerations and the
kinds a reference may point to (spec section 3). One table drives the binder (SM004,
SM005), reference resolution (SM002, SM003) and the docs' language reference.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..i18n import LANGUAGES, N_

if TYPE_CHECKING:
    from .value_kinds import FieldKind

# Value kinds of a field:
#   text      a string or a text block
#   enum      a bare word from `values`
#   ref       the ID of an element of one of `targets`
#   compliance  SCHEME:REF (`gdpr_only`: a GDPR reference)
#   bool      true, false, yes, no
#   number    a number (`minimum` checked)
#   version   a string or a number, compared as written text
#   date      a string holding a calendar date YYYY-MM-DD
#   transfer  `none` or a string
#   technique an ATT&CK technique ID, as a string (a bare ID is accepted)
#   pairs     `CRITERION NUMBER` items (scores)
#   word      an ID or a string (tags, ignore codes)
# Each is a class in value_kinds.py that owns what depends on it (binding, showing,
# importing, ReqIF, completion): `spec.value_kind`, never a test of `spec.kind`.


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str
    many: bool = False
    required: bool = False
    values: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    gdpr_only: bool = False
    minimum: float | None = None
    maximum: float | None = None
    description: str = ""

    @property
    def attr(self) -> str:
        return attr_name(self.name)

    @functools.cached_property  # the binder asks once per value
    def value_kind(self) -> FieldKind:
        """The class of this field's values (imported late: it imports the model)."""
        from .value_kinds import CODES, VALUE_KINDS

        # `ignore` takes names like `tags`, but they are check codes (completion, import).
        return CODES if self.name == "ignore" else VALUE_KINDS[self.kind]


# Attributes every model element has; a field of the same name gets a `_field` suffix
# (a component's `kind` field is `kind_field`: `kind` is the element kind).
BASE_ATTRIBUTES = frozenset({
    "kind", "id", "title", "path", "order", "span", "anchor", "document", "level", "section",
    "parent", "broken", "field_spans", "custom", "children", "attributes", "steps", "body",
})  # fmt: skip


@functools.cache  # asked a million times at 100,000 requirements, of a few dozen names
def attr_name(field: str) -> str:
    """The model attribute holding a field's values."""
    attr = field.replace("-", "_")
    return attr + "_field" if attr in BASE_ATTRIBUTES else attr


LEVELS = ("stakeholder", "system", "software")
LEVEL_RANK = {"stakeholder": 3, "system": 2, "software": 1}
REQUIREMENT_TYPES = (
    "functional", "interface", "performance", "usability", "reliability", "availability",
    "security", "privacy", "maintainability", "portability", "compatibility", "safety",
    "constraint", "compliance",
)  # fmt: skip
PRIORITIES = ("must", "should", "could", "wont")
REQUIREMENT_STATUSES = (
    "draft", "proposed", "approved", "implemented", "verified", "rejected", "deprecated",
)  # fmt: skip
RATINGS = ("low", "medium", "high", "critical")
VERIFICATION_METHODS = ("inspection", "analysis", "demonstration", "test")
STRIDE = (
    "spoofing", "tampering", "repudiation", "information-disclosure", "denial-of-service",
    "elevation-of-privilege",
)  # fmt: skip
LINDDUN = (
    "linking", "identifying", "non-repudiation", "detecting", "data-disclosure",
    "unawareness", "non-compliance",
)  # fmt: skip
TRUST_LEVELS = ("untrusted", "semi-trusted", "trusted", "restricted")
DATA_CATEGORIES = ("public", "internal", "confidential", "personal", "special")
PRIMITIVE_TYPES = (
    "string", "text", "int", "decimal", "bool", "date", "datetime", "uuid", "email",
    "phone", "money", "binary",
)  # fmt: skip
# The part an actor or component plays in processing personal data (GDPR Art. 4(7) to
# 4(10), Art. 26 and 28; `data-subject` for the people the data is about):
# docs/compliance.md, "Roles and contracts".
GDPR_ROLES = (
    "controller", "joint-controller", "processor", "sub-processor", "recipient",
    "third-party", "data-subject",
)  # fmt: skip
# A component is a process or data store of the system being specified: run by the
# controller itself or by a processor it engaged. Other parties are external entities
# (actors) of the data-flow model.
COMPONENT_GDPR_ROLES = ("controller", "processor")
ATTRIBUTE_FLAGS = ("personal", "special", "unique", "required", "encrypted", "pseudonymised")
BOOLEAN_WORDS = {"true": True, "yes": True, "false": False, "no": False}

_DESCRIPTION = FieldSpec("description", "text")
_COMPLIANCE = FieldSpec("compliance", "compliance", many=True)
_ACTOR_OR_COMPONENT = ("actor", "component")
# Extensions (docs/language.md, "GDPR roles"): who an actor or component is under the
# GDPR, the Art. 28 contract of a processor, and a third country with its Chapter V basis.
_GDPR_TRANSFER = (
    FieldSpec("contract", "text", description="processing contract reference (Art. 28(3))"),
    FieldSpec("third-country", "text", description="country outside the EEA it is in"),
    FieldSpec(
        "transfer-basis",
        "compliance",
        gdpr_only=True,
        description="Chapter V basis of a transfer to it (Art. 44 to 49)",
    ),
)


def _gdpr_party(roles: tuple[str, ...]) -> tuple[FieldSpec, ...]:
    return (
        FieldSpec("gdpr-role", "enum", values=roles, description="GDPR role (Art. 4, 26, 28)"),
        *_GDPR_TRANSFER,
    )


COMMON_FIELDS = (
    FieldSpec("ignore", "word", many=True, description="check codes silenced on this element"),
    FieldSpec("tags", "word", many=True, description="free grouping"),
)

KIND_FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "document": (
        FieldSpec("level", "enum", values=LEVELS),
        FieldSpec("version", "version"),
        FieldSpec("status", "enum", values=("draft", "review", "approved", "obsolete")),
        FieldSpec("owner", "text"),
        FieldSpec("purpose", "text"),
        FieldSpec("scope", "text"),
        _DESCRIPTION,
        # An extension: the language of the document's statements (QU rules), when it is
        # not the project's `[project] language` (docs/language.md, "Languages").
        FieldSpec("language", "enum", values=LANGUAGES),
    ),
    "section": (),
    "text": (),
    "term": (FieldSpec("definition", "text"),),
    "stakeholder": (_DESCRIPTION,),
    "goal": (
        FieldSpec("statement", "text"),
        FieldSpec("refines", "ref", many=True, targets=("goal",)),
        FieldSpec("stakeholder", "ref", targets=("stakeholder",)),
        FieldSpec("priority", "enum", values=PRIORITIES),
        _DESCRIPTION,
    ),
    "requirement": (
        FieldSpec("statement", "text", required=True),
        FieldSpec("rationale", "text"),
        FieldSpec("type", "enum", values=REQUIREMENT_TYPES),
        FieldSpec("priority", "enum", values=PRIORITIES),
        FieldSpec("status", "enum", values=REQUIREMENT_STATUSES),
        FieldSpec("verification", "enum", many=True, values=VERIFICATION_METHODS),
        FieldSpec("owner", "text"),
        FieldSpec("source", "ref", targets=("stakeholder",)),
        FieldSpec("risk", "enum", values=("low", "medium", "high")),
        FieldSpec("difficulty", "enum", values=("easy", "nominal", "difficult")),
        FieldSpec("version", "version"),
        FieldSpec("derives-from", "ref", many=True, targets=("requirement",)),
        FieldSpec("satisfies", "ref", many=True, targets=("goal", "requirement")),
        FieldSpec("refines", "ref", many=True, targets=("requirement",)),
        FieldSpec("mitigates", "ref", many=True, targets=("threat",)),
        FieldSpec("depends-on", "ref", many=True, targets=("requirement",)),
        FieldSpec("conflicts-with", "ref", many=True, targets=("requirement",)),
        _COMPLIANCE,
        _DESCRIPTION,
    ),
    "actor": (
        FieldSpec("kind", "enum", values=("human", "system", "device")),
        FieldSpec("zone", "ref", targets=("zone",)),
        _DESCRIPTION,
        *_gdpr_party(GDPR_ROLES),
    ),
    "usecase": (
        FieldSpec("actors", "ref", many=True, targets=("actor",)),
        FieldSpec("subject", "ref", targets=("component",)),
        FieldSpec("includes", "ref", many=True, targets=("usecase",)),
        FieldSpec("extends", "ref", many=True, targets=("usecase",)),
        FieldSpec("satisfies", "ref", many=True, targets=("goal", "requirement")),
        _DESCRIPTION,
    ),
    "zone": (
        FieldSpec("trust", "enum", values=TRUST_LEVELS),
        FieldSpec("inside", "ref", targets=("zone",)),
        _DESCRIPTION,
    ),
    "component": (
        FieldSpec("kind", "enum", required=True, values=("process", "datastore")),
        FieldSpec("zone", "ref", targets=("zone",)),
        FieldSpec("technology", "text"),
        FieldSpec("stores", "ref", many=True, targets=("data",)),
        _DESCRIPTION,
        _COMPLIANCE,
        *_gdpr_party(COMPONENT_GDPR_ROLES),
    ),
    "data": (
        FieldSpec("category", "enum", required=True, values=DATA_CATEGORIES),
        FieldSpec("subjects", "text"),
        FieldSpec("purpose", "text"),
        FieldSpec("lawful-basis", "compliance", gdpr_only=True),
        FieldSpec("special-condition", "compliance", gdpr_only=True),
        FieldSpec("retention", "text"),
        FieldSpec("transfer", "transfer"),
        _COMPLIANCE,
        _DESCRIPTION,
    ),
    "flow": (
        FieldSpec("from", "ref", required=True, targets=_ACTOR_OR_COMPONENT),
        FieldSpec("to", "ref", required=True, targets=_ACTOR_OR_COMPONENT),
        FieldSpec("carries", "ref", many=True, targets=("data",)),
        FieldSpec("protocol", "text"),
        FieldSpec("encrypted", "bool"),
        FieldSpec("authenticated", "bool"),
        _DESCRIPTION,
    ),
    "scenario": (
        FieldSpec("realizes", "ref", targets=("usecase",)),
        _DESCRIPTION,
    ),
    "threat": (
        FieldSpec("category", "enum", required=True, values=STRIDE + LINDDUN),
        FieldSpec("target", "ref", required=True, targets=(*_ACTOR_OR_COMPONENT, "flow", "data")),
        FieldSpec("attack", "technique", many=True),
        FieldSpec("likelihood", "enum", values=RATINGS),
        FieldSpec("impact", "enum", values=RATINGS),
        FieldSpec(
            "status",
            "enum",
            values=("open", "mitigated", "accepted", "transferred", "not-applicable"),
        ),
        FieldSpec("justification", "text"),
        _DESCRIPTION,
        # Extensions (docs/language.md, "Residual risk"): the rating after mitigation.
        FieldSpec("residual-likelihood", "enum", values=RATINGS, description="after mitigation"),
        FieldSpec("residual-impact", "enum", values=RATINGS, description="after mitigation"),
    ),
    "test": (
        FieldSpec("verifies", "ref", many=True, required=True, targets=("requirement",)),
        FieldSpec("method", "enum", values=VERIFICATION_METHODS),
        FieldSpec(
            "kind",
            "enum",
            values=(
                "unit",
                "integration",
                "system",
                "acceptance",
                "penetration",
                "vulnerability",
                "performance",
            ),
        ),
        FieldSpec("preconditions", "text"),
        FieldSpec("steps", "text"),
        FieldSpec("expected", "text"),
        FieldSpec("automated-by", "text"),
        _DESCRIPTION,
    ),
    "decision": (
        FieldSpec(
            "status",
            "enum",
            required=True,
            values=("proposed", "accepted", "rejected", "superseded"),
        ),
        FieldSpec("context", "text"),
        FieldSpec("addresses", "ref", many=True, targets=("requirement", "goal")),
        FieldSpec("supersedes", "ref", many=True, targets=("decision",)),
        FieldSpec("chosen", "ref", targets=("option",)),
        FieldSpec("rationale", "text"),
        FieldSpec("consequences", "text"),
        _DESCRIPTION,
    ),
    "criterion": (
        FieldSpec("weight", "number", required=True, minimum=0),
        _DESCRIPTION,
    ),
    "option": (
        FieldSpec("scores", "pairs", many=True, targets=("criterion",), minimum=0, maximum=5),
        FieldSpec("evidence", "text"),
        _DESCRIPTION,
    ),
    "activity": (
        FieldSpec("realizes", "ref", targets=("usecase",)),
        _DESCRIPTION,
    ),
    "review": (
        FieldSpec("covers", "ref", many=True, required=True, targets=("document",)),
        FieldSpec("version", "version"),
        FieldSpec("date", "date", required=True),
        FieldSpec("reviewers", "ref", many=True, required=True, targets=("stakeholder",)),
        FieldSpec(
            "outcome",
            "enum",
            required=True,
            values=("approved", "approved-with-changes", "rejected"),
        ),
        FieldSpec("findings", "text"),
        # Extensions (docs/language.md, "Review stamps"): written by `reqdsl review stamp`.
        FieldSpec("stamp", "text", description="fingerprint of the approved content (RV002)"),
        FieldSpec("revision", "text", description="git commit the stamp was taken at"),
    ),
}

FIELD_SPECS: dict[str, dict[str, FieldSpec]] = {
    kind: {spec.name: spec for spec in (*fields, *COMMON_FIELDS)}
    for kind, fields in KIND_FIELDS.items()
}

# Trace links counted by TR/coverage rules (spec: "links count as written").
TRACE_FIELDS = ("derives-from", "satisfies", "refines", "mitigates", "verifies",
                "depends-on", "conflicts-with", "realizes")  # fmt: skip

# How each link reads in both directions. Forward, a link reads as its field's name
# ("REQ-2 derives-from REQ-1", the field tables of the site and the hover's **Links**);
# backward, on the target's side, as its inverse label ("derived by REQ-2": the site's
# back-links, the hover's **Linked from**). Every `ref` and `pairs` field has one (a
# test says which is missing); `type` is a data attribute's type, a link too.
INVERSE_LABELS: dict[str, str] = {
    "derives-from": N_("derived by"),
    "satisfies": N_("satisfied by"),
    "refines": N_("refined by"),
    "mitigates": N_("mitigated by"),
    "verifies": N_("verified by"),
    "depends-on": N_("needed by"),
    "conflicts-with": N_("in conflict with"),
    "realizes": N_("realized by"),
    "addresses": N_("addressed by"),
    "supersedes": N_("superseded by"),
    "chosen": N_("chosen in"),
    "covers": N_("reviewed in"),
    "reviewers": N_("reviewer in"),
    "target": N_("targeted by"),
    "carries": N_("carried by"),
    "stores": N_("stored in"),
    "from": N_("source of flow"),
    "to": N_("target of flow"),
    "zone": N_("zone of"),
    "inside": N_("contains"),
    "actors": N_("actor in"),
    "subject": N_("subject of"),
    "includes": N_("included by"),
    "extends": N_("extended by"),
    "stakeholder": N_("stakeholder of"),
    "source": N_("source of"),
    "scores": N_("scored in"),
    "type": N_("type of attribute in"),
}


def inverse_label(field: str) -> str:
    """How a link through `field` reads from its target's side."""
    return INVERSE_LABELS.get(field, f"{field} (from)")
