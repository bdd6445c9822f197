"""Agencies: every distinct body given a role in the plan's tasks, by canonical name, with the roles it
plays ("lead", "cooperate") and the spellings the document used for it (aliases)."""

from __future__ import annotations

import re

from extractors.context import Context
from normalizers.agencies import find_agencies, for_city
from pipeline.model.contract import Agency, Task

# "huyện, thành phố" and "huyện, thị xã, thành phố" in one plan are the same set of committees.
_LOCAL = re.compile(r"^Ủy ban nhân dân các (.+)$")


def merge_local_committees(tasks: list[Task]) -> None:
    """Name a plan's district committees one way: a shorter list folds into the fullest one it shares."""
    names = {n for t in tasks for n in [t.lead_agency, *t.cooperating_agencies] if n}
    parts = {n: set(m.group(1).split(", ")) for n in names if (m := _LOCAL.match(n))}
    rename = {}
    for name, kinds in parts.items():
        wider = [o for o, ok in parts.items() if kinds < ok]
        if wider:
            rename[name] = max(wider, key=lambda o: len(parts[o]))
    if not rename:
        return
    for t in tasks:
        if t.lead_agency in rename:
            t.lead_agency = rename[t.lead_agency]
        t.cooperating_agencies = list(dict.fromkeys(rename.get(c, c) for c in t.cooperating_agencies
                                                    if rename.get(c, c) != t.lead_agency))


def extract(ctx: Context, tasks: list[Task]) -> list[Agency]:
    """One Agency per canonical name met in `tasks`, in order of first appearance."""
    roles: dict[str, list[str]] = {}
    for t in tasks:
        if t.lead_agency:
            roles.setdefault(t.lead_agency, [])
            if "lead" not in roles[t.lead_agency]:
                roles[t.lead_agency].append("lead")
        for c in t.cooperating_agencies:
            roles.setdefault(c, [])
            if "cooperate" not in roles[c]:
                roles[c].append("cooperate")
    aliases: dict[str, list[str]] = {name: [] for name in roles}
    for m in find_agencies(ctx.doc.text):
        name = for_city(m.name, ctx.metadata.province)  # as the tasks name it
        if name in aliases:
            alias = " ".join(m.text.split())
            if alias != name and alias not in aliases[name] and len(aliases[name]) < 10:
                aliases[name].append(alias)
    return [Agency(name=name, aliases=aliases[name], roles=r) for name, r in roles.items()]
