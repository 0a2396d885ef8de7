"""Review sheets: the review loop for people who work in a spreadsheet, not a notebook.

``write_review_sheet(target, path, n=25)`` writes an XLSX workbook: a **Review** sheet with one
row per unit (unit id, text, context, suggestion, confidence, runner-up, why it is asked, an
empty *decision* cell with a drop-down of the theme labels, a note), a **Themes** sheet (the
drop-down's list) and an **About** sheet (where the themes live, so the sheet can be applied).
Units of the check sample that nobody has coded yet are added (``check=True``), so agreement can
be measured.

``apply_review_sheet(path)`` reads it back: an empty decision is "not reviewed"; a decision is a
label from the drop-down, a theme id, or ``new: NAME`` for a new theme. Anything else, an edited
text or a missing or unknown unit id, is refused with one :class:`~listenlens.errors.InputError`
naming every bad row. The decisions become one review (``Themes.review``) saved where the themes
came from: a project folder (``Project.curate``) or a saved themes folder (``Themes.save``).

>>> write_review_sheet("my-project", "review.xlsx", n=25)      # doctest: +SKIP
>>> apply_review_sheet("review.xlsx", who="amina")             # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputError
from .result import SPECIAL_LABELS, UNASSIGNED, Themes

__all__ = ["open_target", "write_review_sheet", "read_decisions", "apply_review_sheet",
           "SHEET_COLUMNS"]

SHEET_COLUMNS = ["unit_id", "text", "context", "suggestion", "confidence", "runner_up", "why",
                 "decision", "note"]
NEW_PREFIX = "new:"


def open_target(path: str | Path, *, embedder: Any = None) -> tuple[str, Themes]:
    """``(kind, themes)`` of a project folder (``"project"``) or a saved themes folder
    (``"themes"``; also ``<folder>/themes``)."""
    root = Path(path)
    if (root / "_listenlens" / "project.json").is_file():
        from ..project import open_project

        return "project", open_project(root, embedder=embedder, progress=False).themes
    from .persist import open_themes

    for folder in (root, root / "themes"):
        if (folder / "themes.json").is_file():
            return "themes", open_themes(folder)
    raise InputError("not a project folder or a saved themes folder (no _listenlens/project.json "
                     "or themes.json); analyse outputs keep no themes, so review a project "
                     "(`listenlens init/add/update`) or themes saved with Themes.save",
                     file=root)


def _save_target(kind: str, path: Path, themes: Themes) -> None:
    if kind == "project":
        from ..project import open_project

        open_project(path, progress=False).curate(themes)
    else:
        folder = path if (path / "themes.json").is_file() else path / "themes"
        themes.save(folder)


def write_review_sheet(target: str | Path, path: str | Path, *, n: int = 25,
                       check: bool = True) -> Path:
    """Write the next ``n`` units to review (plus uncoded check-sample units when ``check``)
    to an XLSX sheet; returns its path."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    from .review import check_sample, decisions

    kind, themes = open_target(target)
    queue = pd.DataFrame(themes.review_queue(n))
    if check:
        done = set(decisions(themes)["unit_id"])
        extra = pd.DataFrame(check_sample(themes))
        queue = pd.concat([queue, extra[~extra["unit_id"].isin(done)]], ignore_index=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "Review"
    ws.append(SHEET_COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in queue.itertuples():
        ws.append([r.unit_id, r.text, r.context, r.label, round(float(r.confidence), 3),
                   r.runner_up, r.why, None, None])
    for col, width in zip("ABCDEFGHI", (20, 60, 45, 28, 11, 28, 22, 30, 30)):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2, max_col=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    labels = [themes.label(t) for t in themes.theme_ids] + [SPECIAL_LABELS[UNASSIGNED]]
    tl = wb.create_sheet("Themes")
    tl.append(["label", "theme_id"])
    for tid, lab in zip([*themes.theme_ids, UNASSIGNED], labels):
        tl.append([lab, tid])
    dv = DataValidation(type="list", formula1=f"=Themes!$A$2:$A${len(labels) + 1}",
                        allow_blank=True, showErrorMessage=True, errorStyle="warning",
                        errorTitle="Not a theme", error="Pick a theme, or write 'new: NAME' for "
                                                       "a new theme.")
    ws.add_data_validation(dv)
    dv.add(f"H2:H{max(2, len(queue) + 1)}")
    about = wb.create_sheet("About")
    for k, v in (("source", str(Path(target).resolve())),
                 ("kind", kind), ("units", len(queue)),
                 ("how", "Write a decision for the units you have checked (pick from the list, "
                         "or 'new: NAME'); leave it empty to skip a unit. Do not edit the text "
                         "or the unit ids. Then run: listenlens review --apply THIS_FILE")):
        about.append([k, v])
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def _read_rows(path: Path) -> tuple[dict[str, str], list[tuple[int, dict[str, Any]]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a file that is not XLSX
        raise InputError(f"cannot read the review sheet ({exc})", file=path) from exc
    if "Review" not in wb.sheetnames or "About" not in wb.sheetnames:
        raise InputError("not a listenlens review sheet (no Review and About sheets)", file=path)
    about = {str(r[0]): ("" if r[1] is None else str(r[1]))
             for r in wb["About"].iter_rows(values_only=True) if r and r[0] is not None}
    rows = list(wb["Review"].iter_rows(values_only=True))
    header = [str(h).strip() if h is not None else "" for h in rows[0]] if rows else []
    missing = [c for c in ("unit_id", "text", "decision") if c not in header]
    if missing:
        raise InputError(f"the Review sheet lacks the columns {missing}", file=path, line=1)
    out = []
    for number, values in enumerate(rows[1:], start=2):
        rec = dict(zip(header, values))
        if all(v is None or str(v).strip() == "" for v in rec.values()):
            continue
        out.append((number, rec))
    wb.close()
    return about, out


def _decision(themes: Themes, value: str, choices: dict[str, str]) -> str | None:
    """What a decision cell means (``None``: not a theme)."""
    v = " ".join(value.split())
    if v.casefold().startswith(NEW_PREFIX):
        name = v[len(NEW_PREFIX):].strip()
        return name or None
    if v.casefold() in choices:
        return choices[v.casefold()]
    try:
        return themes.resolve_one(v)
    except KeyError:
        return None


def read_decisions(path: str | Path, themes: Themes) -> dict[str, str]:
    """The decisions of a review sheet, checked against ``themes`` (see the module docstring)."""
    path = Path(path)
    _, rows = _read_rows(path)
    text = {u.unit_id: u.text for u in themes.corpus.unit_records}
    choices = {themes.label(t).casefold(): t for t in themes.theme_ids}
    choices.update({lab.casefold(): t for t, lab in SPECIAL_LABELS.items()})
    answers: dict[str, str] = {}
    problems: list[tuple[int, str]] = []
    for number, rec in rows:
        uid = "" if rec.get("unit_id") is None else str(rec["unit_id"]).strip()
        value = "" if rec.get("decision") is None else str(rec["decision"]).strip()
        if not uid:
            problems.append((number, "missing unit id (do not delete or edit unit ids)"))
            continue
        if uid not in text:
            problems.append((number, f"unknown unit id {uid!r} (not in these themes)"))
            continue
        shown = "" if rec.get("text") is None else str(rec["text"])
        if " ".join(shown.split()) != " ".join(text[uid].split()):
            problems.append((number, f"the text of {uid} was edited; restore it (the decision "
                                     "is only taken for the text as said)"))
            continue
        if not value:
            continue
        target = _decision(themes, value, choices)
        if target is None:
            problems.append((number, f"unknown theme {value!r}; pick one from the list or "
                                     f"write '{NEW_PREFIX} NAME' for a new theme"))
            continue
        answers[uid] = target
    if problems:
        lines = "; ".join(f"row {n}: {msg}" for n, msg in problems)
        raise InputError(f"{len(problems)} row(s) of the review sheet cannot be taken: {lines}",
                         file=path, line=problems[0][0])
    return answers


def apply_review_sheet(path: str | Path, *, who: str | None = None, target: str | Path | None
                       = None, embedder: Any = None) -> tuple[Themes, int]:
    """Take the decisions of a review sheet and save the reviewed themes where they came from
    (or to ``target``). Returns the new themes and the number of decisions taken."""
    path = Path(path)
    about, _ = _read_rows(path)
    source = Path(target) if target is not None else Path(about.get("source", ""))
    if not str(source) or not source.exists():
        raise InputError(f"the themes this sheet was made from are not at {str(source)!r}; "
                         "pass the project or themes folder", file=path)
    kind, themes = open_target(source, embedder=embedder)
    answers = read_decisions(path, themes)
    if not answers:
        raise InputError("the review sheet has no decisions (the decision column is empty)",
                         file=path)
    out = themes.review(answers, who=who or "", why=f"review sheet {path.name}")
    _save_target(kind, source, out)
    return out, len(answers)
