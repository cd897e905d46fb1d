#!/usr/bin/env python3
"""Generate one synthetic requirement set in the native input format of
reqdsl, StrictDoc, Doorstop, Sphinx-Needs and TRLC.

The same logical model (same IDs, texts, attributes and trace links) is
written five times, once per tool:

    <out>/reqdsl/      reqdsl.toml + one .req file per document
    <out>/strictdoc/   *.sdoc documents + reqs.sgra (shared grammar) + strictdoc_config.py
    <out>/doorstop/    one directory per document (.doorstop.yml + one .yml per item),
                       a git repository (Doorstop needs a VCS root)
    <out>/sphinx/      conf.py, index.rst, one .rst per document, a needtable page
                       and a needflow page
    <out>/trlc/        reqs.rsl (types + checks) + one .trlc file per document

Model (N must be a multiple of 1000):
  * 3 levels: stakeholder needs (STK, 10 % of N), system requirements
    (SYS, 40 %), software requirements (SWR, 50 %).
  * 100 requirements per document -> N/100 documents; 10 sections of 10
    requirements per document.
  * Every SYS/SWR document has one parent document on the level above;
    every SYS/SWR requirement links to 1 or 2 requirements of that parent
    document (every parent requirement gets at least one child).
  * Each requirement: id, title, 1-3 sentence statement, rationale,
    priority, status, verification method.
  * IDs look like SYS003_0042 (document prefix, "_", 4-digit number): this
    form is valid in all four tools (TRLC identifiers cannot contain "-",
    Sphinx-Needs' default id regex is ^[A-Z0-9_]{5,}).

Usage:  python3 gen.py --n 10000 --seed 1 --out /tmp/bench/data/n10000

bench/compare.py imports this module (build_model and WRITERS), so that
every tool of the comparison reads the same model.
"""

import argparse
import json
import os
import random
import shutil
import subprocess

PER_DOC = 100
PER_SECTION = 10
LEVELS = [
    # tag, human name, share of N
    ("STK", "Stakeholder needs", 0.10),
    ("SYS", "System requirements", 0.40),
    ("SWR", "Software requirements", 0.50),
]
PRIORITIES = ["High", "Medium", "Low"]
STATUSES = ["Draft", "Approved", "Implemented"]
VERIFICATIONS = ["Test", "Analysis", "Inspection", "Demonstration"]

AREAS = [
    "power management",
    "navigation",
    "telemetry",
    "user interface",
    "data logging",
    "communication",
    "safety monitoring",
    "diagnostics",
    "configuration",
    "security",
    "thermal control",
    "sensor fusion",
    "maintenance",
    "startup",
    "shutdown",
    "storage",
    "network",
    "audio",
    "display",
    "calibration",
]
STAKEHOLDERS = [
    "operator",
    "maintainer",
    "driver",
    "passenger",
    "service technician",
    "fleet manager",
    "safety engineer",
    "end user",
    "administrator",
    "auditor",
]
SUBJECTS = [
    "system",
    "controller",
    "gateway",
    "data logger",
    "monitoring unit",
    "display unit",
    "power supply",
    "sensor interface",
    "communication module",
    "diagnostic manager",
    "boot loader",
    "storage manager",
    "scheduler",
]
SW_SUBJECTS = [
    "software",
    "driver component",
    "state machine",
    "watchdog handler",
    "message parser",
    "configuration service",
    "logging service",
    "health monitor",
    "update agent",
    "timer service",
    "CAN stack",
]
VERBS = [
    "provide",
    "monitor",
    "record",
    "report",
    "limit",
    "detect",
    "validate",
    "store",
    "transmit",
    "display",
    "reject",
    "acknowledge",
    "restore",
    "encrypt",
    "compute",
    "filter",
    "schedule",
    "initialise",
]
OBJECTS = [
    "the battery voltage",
    "all error codes",
    "the vehicle speed",
    "status messages",
    "configuration changes",
    "the supply current",
    "sensor readings",
    "the operating mode",
    "user commands",
    "firmware images",
    "time stamps",
    "the cabin temperature",
    "diagnostic events",
    "calibration data",
    "the network load",
    "log entries",
    "alarm conditions",
    "the position estimate",
]
QUALIFIERS = [
    "within 100 ms",
    "at least once per second",
    "during normal operation",
    "after a power cycle",
    "in degraded mode",
    "without user interaction",
    "with an accuracy of 1 %",
    "for at least 30 days",
    "before shutdown",
    "when the ignition is off",
    "at a rate of 10 Hz",
    "in less than 2 s",
    "under all load conditions",
    "while a fault is active",
]
RATIONALES = [
    "This is required to meet the {a} targets agreed with the customer.",
    "Without it the {s} cannot detect a degraded {a} state in time.",
    "Derived from field experience with the previous {a} platform.",
    "Needed for compliance with the applicable {a} regulations.",
    "Reduces the effort of the {s} during {a} tasks.",
    "Ensures that {a} faults remain observable and diagnosable.",
]
TITLE_WORDS = [
    "Monitoring",
    "Reporting",
    "Limits",
    "Detection",
    "Validation",
    "Storage",
    "Transmission",
    "Display",
    "Recovery",
    "Timing",
    "Accuracy",
    "Logging",
    "Initialisation",
    "Protection",
    "Filtering",
    "Scheduling",
    "Handling",
]


def sentence_stk(rng):
    return (
        f"The {rng.choice(STAKEHOLDERS)} needs to {rng.choice(VERBS)} "
        f"{rng.choice(OBJECTS)} {rng.choice(QUALIFIERS)}."
    )


def sentence_req(rng, subjects):
    return (
        f"The {rng.choice(subjects)} shall {rng.choice(VERBS)} "
        f"{rng.choice(OBJECTS)} {rng.choice(QUALIFIERS)}."
    )


def build_model(n, seed):
    """Return a list of documents; each is a dict with sections and requirements."""
    if n % 1000 != 0:
        raise SystemExit("N must be a multiple of 1000")
    rng = random.Random(seed)
    docs_by_level = {}
    docs = []
    for li, (tag, lname, share) in enumerate(LEVELS):
        count = round(n * share)
        ndocs = count // PER_DOC
        level_docs = []
        for d in range(ndocs):
            prefix = f"{tag}{d + 1:03d}"
            area = AREAS[d % len(AREAS)]
            parent = None
            if li > 0:
                pdocs = docs_by_level[LEVELS[li - 1][0]]
                parent = pdocs[d * len(pdocs) // ndocs]
            doc = {
                "prefix": prefix,
                "level": tag,
                "title": f"{lname} {d + 1}: {area}",
                "area": area,
                "parent": parent["prefix"] if parent else None,
                "sections": [],
            }
            parent_ids = [r["uid"] for s in parent["sections"] for r in s["reqs"]] if parent else []
            perm = list(range(len(parent_ids)))
            rng.shuffle(perm)
            k = 0
            for s in range(PER_DOC // PER_SECTION):
                sec_area = AREAS[(d + s) % len(AREAS)]
                section = {"title": f"{sec_area.capitalize()} {s + 1}", "reqs": []}
                for _ in range(PER_SECTION):
                    k += 1
                    uid = f"{prefix}_{k:04d}"
                    nsent = rng.randint(1, 3)
                    if tag == "STK":
                        stmt = " ".join(sentence_stk(rng) for _ in range(nsent))
                    else:
                        subj = SUBJECTS if tag == "SYS" else SW_SUBJECTS
                        stmt = " ".join(sentence_req(rng, subj) for _ in range(nsent))
                    links = []
                    if parent_ids:
                        # first parent: a permutation, so every parent gets a child
                        links.append(parent_ids[perm[(k - 1) % len(perm)]])
                        if rng.random() < 0.5:
                            other = rng.choice(parent_ids)
                            if other not in links:
                                links.append(other)
                    section["reqs"].append(
                        {
                            "uid": uid,
                            "title": f"{sec_area.capitalize()} {rng.choice(TITLE_WORDS)} {k}",
                            "statement": stmt,
                            "rationale": rng.choice(RATIONALES).format(
                                a=sec_area, s=rng.choice(STAKEHOLDERS)
                            ),
                            "priority": rng.choice(PRIORITIES),
                            "status": rng.choice(STATUSES),
                            "verification": rng.choice(VERIFICATIONS),
                            "links": links,
                        }
                    )
                doc["sections"].append(section)
            level_docs.append(doc)
            docs.append(doc)
        docs_by_level[tag] = level_docs
    return docs


# --------------------------------------------------------------------------
# StrictDoc (.sdoc, 0.30.x grammar: [[SECTION]] composite nodes)
# --------------------------------------------------------------------------

SGRA = """[GRAMMAR]
ELEMENTS:
- TAG: SECTION
  PROPERTIES:
    IS_COMPOSITE: True
  FIELDS:
  - TITLE: UID
    TYPE: String
    REQUIRED: False
  - TITLE: TITLE
    TYPE: String
    REQUIRED: True
- TAG: TEXT
  FIELDS:
  - TITLE: UID
    TYPE: String
    REQUIRED: False
  - TITLE: STATEMENT
    TYPE: String
    REQUIRED: True
- TAG: REQUIREMENT
  FIELDS:
  - TITLE: UID
    TYPE: String
    REQUIRED: True
  - TITLE: TITLE
    TYPE: String
    REQUIRED: True
  - TITLE: STATEMENT
    TYPE: String
    REQUIRED: True
  - TITLE: RATIONALE
    TYPE: String
    REQUIRED: False
  - TITLE: PRIORITY
    TYPE: SingleChoice(High, Medium, Low)
    REQUIRED: True
  - TITLE: STATUS
    TYPE: SingleChoice(Draft, Approved, Implemented)
    REQUIRED: True
  - TITLE: VERIFICATION
    TYPE: SingleChoice(Test, Analysis, Inspection, Demonstration)
    REQUIRED: True
  RELATIONS:
  - TYPE: Parent
"""


def write_strictdoc(docs, root):
    os.makedirs(root)
    with open(os.path.join(root, "reqs.sgra"), "w") as f:
        f.write(SGRA)
    with open(os.path.join(root, "strictdoc_config.py"), "w") as f:
        # Python config (the TOML config is deprecated in 0.30). Keep
        # StrictDoc's parse cache inside the data directory, so that a "cold"
        # run can delete it.
        f.write(
            "from strictdoc.core.project_config import ProjectConfig\n\n\n"
            "def create_config() -> ProjectConfig:\n"
            "    return ProjectConfig(\n"
            '        project_title="Synthetic requirements",\n'
            f"        dir_for_sdoc_cache={os.path.join(os.path.abspath(root), '.cache')!r},\n"
            "    )\n"
        )
    for doc in docs:
        out = [
            "[DOCUMENT]\n",
            f"TITLE: {doc['title']}\n",
            f"UID: DOC_{doc['prefix']}\n",
            "\n[GRAMMAR]\nIMPORT_FROM_FILE: reqs.sgra\n",
        ]
        for sec in doc["sections"]:
            out.append(f"\n[[SECTION]]\nTITLE: {sec['title']}\n")
            for r in sec["reqs"]:
                out.append(
                    "\n[REQUIREMENT]\n"
                    f"UID: {r['uid']}\n"
                    f"TITLE: {r['title']}\n"
                    f"STATEMENT: >>>\n{r['statement']}\n<<<\n"
                    f"RATIONALE: >>>\n{r['rationale']}\n<<<\n"
                    f"PRIORITY: {r['priority']}\n"
                    f"STATUS: {r['status']}\n"
                    f"VERIFICATION: {r['verification']}\n"
                )
                if r["links"]:
                    out.append("RELATIONS:\n")
                    for link in r["links"]:
                        out.append(f"- TYPE: Parent\n  VALUE: {link}\n")
            out.append("\n[[/SECTION]]\n")
        with open(os.path.join(root, doc["prefix"] + ".sdoc"), "w") as f:
            f.write("".join(out))


# --------------------------------------------------------------------------
# Doorstop (3.x): one directory per document, one YAML file per item
# --------------------------------------------------------------------------


def _yaml_str(s):
    return json.dumps(s)  # a JSON string is a valid YAML double-quoted scalar


def _doorstop_item(
    path, level, text, header="", links=(), normative=True, derived=False, extra=None
):
    lines = [
        "active: true\n",
        f"derived: {'true' if derived else 'false'}\n",
        f"header: {_yaml_str(header)}\n",
        f"level: '{level}'\n",
    ]
    if links:
        lines.append("links:\n")
        for link in links:
            lines.append(f"- {link}: null\n")
    else:
        lines.append("links: []\n")
    lines.append(f"normative: {'true' if normative else 'false'}\n")
    lines.append("ref: ''\n")
    lines.append("reviewed: null\n")
    lines.append("text: |\n  " + text + "\n")
    for key, value in (extra or {}).items():
        lines.append(f"{key}: {_yaml_str(value)}\n")
    with open(path, "w") as f:
        f.write("".join(lines))


def write_doorstop(docs, root):
    """Doorstop needs exactly one root document, so the STK documents become
    children of a small project document PRJ (one non-normative item); STK
    items are marked derived (they have no parent requirement)."""
    os.makedirs(root)
    reqs_dir = os.path.join(root, "reqs")

    def write_doc_config(ddir, prefix, parent):
        os.makedirs(ddir)
        cfg = ["settings:\n", "  digits: 4\n"]
        if parent:
            cfg.append(f"  parent: {parent}\n")
        cfg += [
            f"  prefix: {prefix}\n",
            "  sep: _\n",
            "attributes:\n",
            "  publish:\n",
            "  - priority\n",
            "  - status\n",
            "  - verification\n",
            "  - rationale\n",
        ]
        with open(os.path.join(ddir, ".doorstop.yml"), "w") as f:
            f.write("".join(cfg))

    prj = os.path.join(reqs_dir, "PRJ")
    write_doc_config(prj, "PRJ", None)
    _doorstop_item(
        os.path.join(prj, "PRJ_0001.yml"),
        "1.0",
        "Synthetic requirement set for benchmarking.",
        normative=False,
    )
    for doc in docs:
        ddir = os.path.join(reqs_dir, doc["prefix"])
        write_doc_config(ddir, doc["prefix"], doc["parent"] or "PRJ")
        for si, sec in enumerate(doc["sections"], start=1):
            # section heading: non-normative item; numbers 9001.. keep the
            # requirement IDs identical to the other tools
            _doorstop_item(
                os.path.join(ddir, f"{doc['prefix']}_{9000 + si:04d}.yml"),
                f"{si}.0",
                sec["title"],
                normative=False,
            )
            for ri, r in enumerate(sec["reqs"], start=1):
                _doorstop_item(
                    os.path.join(ddir, r["uid"] + ".yml"),
                    f"{si}.{ri}",
                    r["statement"],
                    header=r["title"],
                    links=r["links"],
                    derived=doc["parent"] is None,
                    extra={
                        "priority": r["priority"],
                        "status": r["status"],
                        "verification": r["verification"],
                        "rationale": r["rationale"],
                    },
                )
    # Doorstop finds its tree from a VCS working copy.
    subprocess.run(["git", "init", "-q", root], check=True)


# --------------------------------------------------------------------------
# Sphinx + Sphinx-Needs
# --------------------------------------------------------------------------

SPHINX_CONF = """project = "Synthetic requirements"
extensions = ["sphinx_needs", "sphinx.ext.graphviz"]
exclude_patterns = ["_build"]
html_theme = "alabaster"
needs_types = [
    {"directive": "stk", "title": "Stakeholder need", "prefix": "STK_",
     "color": "#BFD8D2", "style": "node"},
    {"directive": "sys", "title": "System requirement", "prefix": "SYS_",
     "color": "#FEDCD2", "style": "node"},
    {"directive": "swr", "title": "Software requirement", "prefix": "SWR_",
     "color": "#DF744A", "style": "node"},
]
needs_fields = {
    "priority": {"description": "Priority",
                 "schema": {"type": "string", "enum": ["High", "Medium", "Low"]}},
    "verification": {"description": "Verification method",
                     "schema": {"type": "string",
                                "enum": ["Test", "Analysis", "Inspection", "Demonstration"]}},
    "rationale": {"description": "Rationale", "schema": {"type": "string"}},
    "status": {"schema": {"type": "string", "enum": ["Draft", "Approved", "Implemented"]}},
}
needs_id_required = True
needs_flow_engine = "graphviz"
"""


def write_sphinx(docs, root, needflow=True):
    """needflow=False leaves out the needflow page (it needs graphviz's `dot`)."""
    os.makedirs(os.path.join(root, "docs"))
    with open(os.path.join(root, "conf.py"), "w") as f:
        f.write(SPHINX_CONF)
    flow_entry = "   flow\n" if needflow else ""
    with open(os.path.join(root, "index.rst"), "w") as f:
        f.write(
            "Synthetic requirements\n======================\n\n"
            ".. toctree::\n   :maxdepth: 1\n\n   traceability\n" + flow_entry + "\n"
            ".. toctree::\n   :maxdepth: 1\n   :glob:\n\n   docs/*\n"
        )
    with open(os.path.join(root, "traceability.rst"), "w") as f:
        f.write(
            "Traceability table\n==================\n\n"
            ".. needtable::\n"
            "   :columns: id;title;type;status;priority;verification;outgoing;incoming\n"
            "   :style: table\n"
        )
    first_stk = docs[0]["sections"][0]["reqs"][0]["uid"]
    if needflow:
        with open(os.path.join(root, "flow.rst"), "w") as f:
            f.write(
                "Traceability flow\n=================\n\n"
                f"Everything derived from {first_stk}, two levels down.\n\n"
                ".. needflow::\n"
                f"   :root_id: {first_stk}\n"
                "   :root_direction: incoming\n"
                "   :root_depth: 2\n"
            )
    directive = {"STK": "stk", "SYS": "sys", "SWR": "swr"}
    for doc in docs:
        out = [doc["title"], "\n", "=" * len(doc["title"]), "\n"]
        for sec in doc["sections"]:
            out += ["\n", sec["title"], "\n", "-" * len(sec["title"]), "\n"]
            for r in sec["reqs"]:
                out.append(
                    f"\n.. {directive[doc['level']]}:: {r['title']}\n"
                    f"   :id: {r['uid']}\n"
                    f"   :status: {r['status']}\n"
                    f"   :priority: {r['priority']}\n"
                    f"   :verification: {r['verification']}\n"
                    f"   :rationale: {r['rationale']}\n"
                )
                if r["links"]:
                    out.append(f"   :links: {', '.join(r['links'])}\n")
                out.append(f"\n   {r['statement']}\n")
        with open(os.path.join(root, "docs", doc["prefix"].lower() + ".rst"), "w") as f:
            f.write("".join(out))


# --------------------------------------------------------------------------
# TRLC
# --------------------------------------------------------------------------

TRLC_RSL = """package Reqs

enum Priority { High Medium Low }
enum Status { Draft Approved Implemented }
enum Verification { Test Analysis Inspection Demonstration }

abstract type Requirement {
  title        String
  statement    String
  rationale    optional String
  priority     Priority
  status       Status
  verification Verification
}

type StakeholderNeed extends Requirement {}

type SystemRequirement extends Requirement {
  derived_from StakeholderNeed [1 .. 2]
}

type SoftwareRequirement extends Requirement {
  derived_from SystemRequirement [1 .. 2]
}

checks Requirement {
  len(title) >= 3, error "title is too short", title
  len(statement) >= 10, warning "statement is suspiciously short", statement
}
"""


def _trlc_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_trlc(docs, root):
    os.makedirs(root)
    with open(os.path.join(root, "reqs.rsl"), "w") as f:
        f.write(TRLC_RSL)
    rtype = {"STK": "StakeholderNeed", "SYS": "SystemRequirement", "SWR": "SoftwareRequirement"}
    for doc in docs:
        out = ["package Reqs\n\n", f"section {_trlc_str(doc['title'])} {{\n"]
        for sec in doc["sections"]:
            out.append(f"\n  section {_trlc_str(sec['title'])} {{\n")
            for r in sec["reqs"]:
                out.append(
                    f"\n    {rtype[doc['level']]} {r['uid']} {{\n"
                    f"      title        = {_trlc_str(r['title'])}\n"
                    f"      statement    = {_trlc_str(r['statement'])}\n"
                    f"      rationale    = {_trlc_str(r['rationale'])}\n"
                    f"      priority     = Priority.{r['priority']}\n"
                    f"      status       = Status.{r['status']}\n"
                    f"      verification = Verification.{r['verification']}\n"
                )
                if r["links"]:
                    out.append(f"      derived_from = [{', '.join(r['links'])}]\n")
                out.append("    }\n")
            out.append("  }\n")
        out.append("}\n")
        with open(os.path.join(root, doc["prefix"] + ".trlc"), "w") as f:
            f.write("".join(out))


# --------------------------------------------------------------------------
# reqdsl (.req): the same model in reqdsl's language
# --------------------------------------------------------------------------

REQDSL_TOML = """[project]
name = "Synthetic requirements"

[checks]
# the generated statements are not written in EARS patterns
disable = ["QU005"]
"""
REQDSL_LEVEL = {"STK": "stakeholder", "SYS": "system", "SWR": "software"}
# reqdsl's enumerations: MoSCoW priorities, lower-case status and verification
REQDSL_PRIORITY = {"High": "must", "Medium": "should", "Low": "could"}


def _req_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_reqdsl(docs, root):
    """One .req file per document, one section per section; the trace link
    is `derives-from` (a system or software requirement derives from the
    level above)."""
    os.makedirs(root)
    with open(os.path.join(root, "reqdsl.toml"), "w") as f:
        f.write(REQDSL_TOML)
    for doc in docs:
        out = [
            f"document {doc['prefix']} {_req_str(doc['title'])} {{\n",
            f"    level: {REQDSL_LEVEL[doc['level']]}\n",
            '    version: "1.0"\n',
            "}\n",
        ]
        for sec in doc["sections"]:
            out.append(f"\nsection {_req_str(sec['title'])} {{\n")
            for r in sec["reqs"]:
                out.append(
                    f"    requirement {r['uid']} {_req_str(r['title'])} {{\n"
                    f"        statement: {_req_str(r['statement'])}\n"
                    f"        rationale: {_req_str(r['rationale'])}\n"
                    f"        priority: {REQDSL_PRIORITY[r['priority']]}\n"
                    f"        status: {r['status'].lower()}\n"
                    f"        verification: {r['verification'].lower()}\n"
                )
                if r["links"]:
                    out.append(f"        derives-from: {', '.join(r['links'])}\n")
                out.append("    }\n")
            out.append("}\n")
        with open(os.path.join(root, doc["prefix"] + ".req"), "w") as f:
            f.write("".join(out))


WRITERS = {
    "reqdsl": write_reqdsl,
    "strictdoc": write_strictdoc,
    "doorstop": write_doorstop,
    "sphinx": write_sphinx,
    "trlc": write_trlc,
}


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--n", type=int, required=True, help="number of requirements (multiple of 1000)"
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument(
        "--formats",
        default=",".join(WRITERS),
        help="comma-separated subset of " + ", ".join(WRITERS),
    )
    args = ap.parse_args()
    docs = build_model(args.n, args.seed)
    os.makedirs(args.out, exist_ok=True)
    for fmt in args.formats.split(","):
        target = os.path.join(args.out, fmt)
        if os.path.exists(target):
            shutil.rmtree(target)
        WRITERS[fmt](docs, target)
    nreq = sum(len(s["reqs"]) for d in docs for s in d["sections"])
    nlinks = sum(len(r["links"]) for d in docs for s in d["sections"] for r in s["reqs"])
    sys1 = next(d for d in docs if d["prefix"] == "SYS001")["sections"][0]["reqs"][0]
    summary = {
        "n": nreq,
        "documents": len(docs),
        "links": nlinks,
        "seed": args.seed,
        # the requirement that bench.py edits for the incremental rebuild
        "edit_target": {"doc": "SYS001", "uid": sys1["uid"], "statement": sys1["statement"]},
    }
    with open(os.path.join(args.out, "model.json"), "w") as f:
        json.dump(summary, f)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
