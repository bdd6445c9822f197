"""Agencies: every distinct body given a role in the plan's tasks, by canonical name, with the roles it
plays ("lead", "cooperate") and the spellings the document used for it (aliases)."""

from __future__ import annotations

import re

from extractors.context import Context
from normalizers.agencies import ORG_HEAD, Spellings, find_agencies, folded, for_city, issuer_places, with_place
from pipeline.model.contract import Agency, Metadata, Task

# "huyện, thành phố" and "huyện, thị xã, thành phố" in one plan are the same set of committees.
_LOCAL = re.compile(r"^Ủy ban nhân dân các (.+)$")
_BARE_LOCAL = re.compile(r"^Ủy ban nhân dân ((?:xã|phường|huyện|quận|thị xã|thị trấn|đặc khu)(?:, [^,]+)+)$")


def merge_local_committees(tasks: list[Task]) -> None:
    """Name a plan's local committees one way: a shorter list folds into the fullest one it shares; the same
    committees written without `các` or with a slash (`tỉnh/thành phố`) take the plan's other spelling."""
    names = {n for t in tasks for n in [t.lead_agency, *t.cooperating_agencies] if n}
    parts = {n: set(re.split(r", |/", m.group(1))) for n in names if (m := _LOCAL.match(n))}
    rename = {}
    for name in names:
        # `UBND xã, phường` beside `UBND các xã, phường`: the same committees, named with `các`
        bare = _BARE_LOCAL.match(name)
        plural = f"Ủy ban nhân dân các {bare.group(1)}" if bare else ""
        if bare and plural in names:
            rename[name] = plural
    for name, kinds in parts.items():
        if "/" in name and (same := [o for o, ok in parts.items() if ok == kinds and "/" not in o]):
            rename[name] = same[0]  # `tỉnh/thành phố` beside `tỉnh, thành phố`: the same committees
            continue
        if len(kinds) < 2:
            continue  # one kind (`các thành phố trực thuộc Trung ương`) is a set of its own, not a shortened list
        wider = [o for o, ok in parts.items() if kinds < ok]
        if wider:
            rename[name] = max(wider, key=lambda o: len(parts[o]))
    if not rename:
        return
    for t in tasks:
        if t.lead_agency in rename:
            t.lead_agency = rename[t.lead_agency]
        t.cooperating_agencies = list(
            dict.fromkeys(rename.get(c, c) for c in t.cooperating_agencies if rename.get(c, c) != t.lead_agency)
        )


def name_agencies(tasks: list[Task], text: str, metadata: Metadata) -> None:
    """The tasks' agencies named one way across the plan, as the plan names them: district committees merged,
    abbreviations written out, bodies named by their level placed, and words that name no body dropped."""
    merge_local_committees(tasks)
    spell_out(tasks, text)
    _rename(tasks, declared_short_names(text))
    _rename(tasks, _full_names({n for t in tasks for n in [t.lead_agency, *t.cooperating_agencies] if n}))
    place_names(tasks, metadata, text)
    keep_bodies(tasks)
    one_spelling(tasks, metadata)


# A head alone names no body (`Cơ quan`, `Các tổ chức`, `Đoàn`): what a cut cell or a generic word leaves.
_HEAD_ALONE = re.compile(
    r"^(?:(?:các\s+)?(?:cơ quan|đơn vị|tổ chức|đoàn thể|ngành|địa phương)|sở|bộ|đoàn|ban|hội)$", re.I
)
# Collectives named by a common noun rather than an organisation's head (`Doanh nghiệp`, `Các doanh nghiệp ...`,
# `Hệ thống truyền thanh ...`).
_COMMON_COLLECTIVE = re.compile(r"^(?:Các\s|Doanh nghiệp\b|Hệ thống\s)", re.I)


# Generic bodies hedged (`Các cơ quan, đơn vị liên quan`, `Các cơ quan có thẩm quyền`) or nouns of bodies only
# (`Các cơ quan, tổ chức`): no one in particular. `... địa phương` names the localities and is kept.
_GENERIC = re.compile(
    r"^Các (?:cơ quan|đơn vị|tổ chức|cá nhân)(?:,? (?:và )?(?:cơ quan|đơn vị|tổ chức|cá nhân))*"
    r"(?:,? (?:có )?liên quan| có thẩm quyền)?$|^Các .*\s(?:có )?liên quan$",
    re.I,
)


def _is_body(name: str) -> bool:
    if _HEAD_ALONE.match(name) or _GENERIC.match(name):
        return False
    if ORG_HEAD.match(name) or _COMMON_COLLECTIVE.match(name):
        return True
    mentions = find_agencies(name)
    return bool(mentions) and mentions[0].start == 0


def keep_bodies(tasks: list[Task]) -> None:
    """Drop names that are no body: a head alone (`Cơ quan`), generic bodies (`Các cơ quan, đơn vị liên quan`),
    or words without an organisation's head that the lexicon does not know either (`Giao`, `Chức nhân dân`: a verb
    or a fragment of a cut cell)."""
    verdict: dict[str, bool] = {}
    for t in tasks:
        if t.lead_agency and not verdict.setdefault(t.lead_agency, _is_body(t.lead_agency)):
            t.lead_agency = None
        t.cooperating_agencies = [c for c in t.cooperating_agencies if verdict.setdefault(c, _is_body(c))]


def spell_out(tasks: list[Task], text: str) -> None:
    """An abbreviation left in a name (`Trung tâm QLCL`, `Ban Chỉ huy PTDS các cấp`) is written out as the same
    document writes it out elsewhere (`Trung tâm Quản lý chất lượng`), so one body has one name."""
    spellings = Spellings(text)
    for t in tasks:
        t.lead_agency = spellings.name(t.lead_agency) if t.lead_agency else None
        t.cooperating_agencies = list(
            dict.fromkeys(n for c in t.cooperating_agencies if (n := spellings.name(c)) != t.lead_agency)
        )
    whole = _whole_names({n for t in tasks for n in [t.lead_agency, *t.cooperating_agencies] if n})
    for t in tasks:
        t.lead_agency = whole.get(t.lead_agency, t.lead_agency) if t.lead_agency else None
        t.cooperating_agencies = list(
            dict.fromkeys(n for c in t.cooperating_agencies if (n := whole.get(c, c)) != t.lead_agency)
        )


def _whole_names(names: set[str]) -> dict[str, str]:
    """A name cut at a comma of its own (`Viện Địa chất` of `Viện Địa chất, Khoáng sản và ...`) → the one whole
    name of the plan it opens."""
    rename: dict[str, str] = {}
    for name in names:
        longer = [other for other in names if other.startswith(name + ", ")]
        if len(longer) == 1 and not name.startswith(("Các ", "Ủy ban nhân dân")):
            rename[name] = longer[0]
    return rename


# `<full name> (sau đây gọi tắt là <short name>)`: the plan declares the short name it uses for a body.
_DECLARED = re.compile(r"\(\s*(?:sau đây\s+)?(?:gọi|viết)\s+tắt\s+là:?\s*([^()\n]{3,60}?)\s*\)", re.I)


def declared_short_names(text: str) -> dict[str, str]:
    """Short name → full name for each body the plan names in full and then declares a short name for (`Hội đồng
    Thi đua – Khen thưởng ngành Y tế (gọi tắt là Hội đồng thi đua)`): the full name is the one before the
    parenthesis that opens with the short name's head (its first two words)."""
    found: dict[str, str] = {}
    for m in _DECLARED.finditer(text):
        short = " ".join(m.group(1).split()).strip(" .,;")
        head = short.split()[:2]
        if len(head) < 2 or not ORG_HEAD.match(short):
            continue  # a document (`Chỉ thị số ...`) or an abbreviation, not a body's short name
        before = text[max(0, m.start() - 200) : m.start()]
        opening = [o for o in re.finditer(r"(?<!\w)" + r"\s+".join(map(re.escape, head)) + r"(?!\w)", before, re.I)]
        if not opening:
            continue
        full = " ".join(before[opening[-1].start() :].split()).strip(" ,;:")
        if full.lower() != short.lower() and not re.search(r"[.;:]", full):
            found[short[:1].upper() + short[1:]] = full
    return found


def _rename(tasks: list[Task], rename: dict[str, str]) -> None:
    for t in tasks:
        t.lead_agency = rename.get(t.lead_agency, t.lead_agency) if t.lead_agency else None
        t.cooperating_agencies = list(
            dict.fromkeys(n for c in t.cooperating_agencies if (n := rename.get(c, c)) != t.lead_agency)
        )


def _subsequence(short: list[str], long: list[str]) -> bool:
    words = iter(long)
    return all(w in words for w in short)


def _longer(words: list[str], more: list[str]) -> bool:
    """`more` is `words` with words left out in between written in."""
    return len(more) > len(words) and more[:3] == words[:3] and more[-1] == words[-1] and _subsequence(words, more)


def _full_names(names: set[str]) -> dict[str, str]:
    """A body the plan also names by a shortened form (`Ủy ban công tác phi chính phủ` for `Ủy ban Công tác về các
    tổ chức phi chính phủ`): the same opening words and last word, the words of the short form in order inside the
    full one, a word or more left out in between. Only for names the lexicon does not hold, of five words or more,
    and not sets of local bodies (`Ủy ban nhân dân tỉnh` / `... các tỉnh`)."""
    folded_words = {n: folded(n).lower().replace(",", " ").split() for n in names}
    rename: dict[str, str] = {}
    for name, words in folded_words.items():
        if len(words) < 5 or name.startswith(("Các ", "Ủy ban nhân dân", "Hội đồng nhân dân")):
            continue
        longer = [other for other, more in folded_words.items() if _longer(words, more)]
        # the fullest form: a shortened form may shorten another shortened form
        longer = [o for o in longer if not any(_longer(folded_words[o], folded_words[p]) for p in longer)]
        if len({tuple(folded_words[o]) for o in longer}) == 1:  # one body, perhaps written in two cases
            rename[name] = max(longer, key=lambda o: sum(ch.isupper() for ch in o))
    return rename


def place_names(tasks: list[Task], metadata: Metadata, text: str = "") -> None:
    """A body the plan names by its level takes the issuer's place (`Công an tỉnh` → `Công an tỉnh Lâm Đồng`
    in a plan of UBND tỉnh Lâm Đồng; `Ủy ban nhân dân xã` → `... xã Lương Minh` in a commune's plan)."""
    places = issuer_places(metadata.issuer, metadata.province, text)
    if not places:
        return
    for t in tasks:
        t.lead_agency = with_place(_zone_board(t.lead_agency, places), places) if t.lead_agency else None
        t.cooperating_agencies = list(
            dict.fromkeys(
                n for c in t.cooperating_agencies if (n := with_place(_zone_board(c, places), places)) != t.lead_agency
            )
        )


# The management board of the province's zones (`Ban Quản lý các khu công nghệ cao và khu công nghiệp`), named with
# no place: a board of the issuing province or city.
_ZONE_BOARD = re.compile(r"^Ban Quản lý (?:các )?(?i:khu)\b(?!.*\b(?:tỉnh|thành phố|Thành phố)\b)")


def _zone_board(name: str, places: dict[str, str]) -> str:
    name = re.sub(r"(?<=\s)tính$", "tỉnh", name)  # `tính` (to count) never ends a name: a mistyped or misread `tỉnh`
    level = next((lv for lv in ("tỉnh", "thành phố") if lv in places), None)
    return f"{name} {level}" if level and _ZONE_BOARD.match(name) else name


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
    places = issuer_places(ctx.metadata.issuer, ctx.metadata.province, ctx.doc.text)
    for m in find_agencies(ctx.doc.text):
        name = with_place(for_city(m.name, ctx.metadata.province), places)  # as the tasks name it
        if name in aliases:
            alias = " ".join(m.text.split())
            if alias != name and alias not in aliases[name] and len(aliases[name]) < 10:
                aliases[name].append(alias)
    return [Agency(name=name, aliases=aliases[name], roles=r) for name, r in roles.items()]


# The issuer's own name without its level and place (`Đảng ủy` of `Đảng ủy xã Công Hải`).
_ISSUER_HEAD = re.compile(r"^(.+?)\s+(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn|đặc khu)\s+[A-ZĐÀ-Ỹ0-9]")


def one_spelling(tasks: list[Task], metadata: Metadata) -> None:
    """One body, one name across the plan: names that differ only in letter case (`Ban xây dựng Đảng`, `Ban Xây
    dựng Đảng`) take the spelling written most often (ties: more capitals, as a proper name is written); an organ
    named once without its committee (`Ủy ban Kiểm tra`) and elsewhere with it (`Ủy ban Kiểm tra Đảng ủy`, the
    issuer `Đảng ủy xã ...`) takes the whole name."""
    names = [n for t in tasks for n in [t.lead_agency, *t.cooperating_agencies] if n]
    counts: dict[str, int] = {}
    for n in names:
        counts[n] = counts.get(n, 0) + 1
    by_case: dict[str, list[str]] = {}
    for n in counts:
        by_case.setdefault(n.lower(), []).append(n)
    rename = {
        n: max(variants, key=lambda v: (counts[v], sum(ch.isupper() for ch in v)))
        for variants in by_case.values()
        if len(variants) > 1
        for n in variants
    }
    issuer = (metadata.issuer or "").lower()
    short = {n.lower(): n for n in counts if n.endswith(" trực thuộc")}
    for n in counts:
        # `Các Đảng ủy trực thuộc Đảng ủy xã Công Hải` in that committee's plan, which also writes `Các Đảng ủy
        # trực thuộc`: the units under the issuer, one name
        units = re.match(r"^(Các .+? trực thuộc)\s+(.+)$", n)
        if units and issuer and units.group(2).lower() == issuer and units.group(1).lower() in short:
            rename[n] = rename.get(short[units.group(1).lower()], short[units.group(1).lower()])
    head = _ISSUER_HEAD.match(metadata.issuer or "")
    if head:
        kept = {rename.get(n, n) for n in counts}
        for n in kept:
            whole = f"{n} {head.group(1)}"
            if whole in kept and ORG_HEAD.match(n) and not n.startswith("Các "):
                rename[n] = whole
    if not rename:
        return
    for t in tasks:
        t.lead_agency = rename.get(t.lead_agency, t.lead_agency) if t.lead_agency else None
        t.cooperating_agencies = list(
            dict.fromkeys(n for c in t.cooperating_agencies if (n := rename.get(c, c)) != t.lead_agency)
        )
