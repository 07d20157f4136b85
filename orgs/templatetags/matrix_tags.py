"""The matrix's cells, written in one pass: a page holds 50 members by every deployed model,
thousands of cells, which the template language would render several times slower."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from orgs.matrix import GROUP, Row

register = template.Library()
ICON = {True: "✓", False: "✗"}
# A cell's box once it differs from what is saved: unticking an allowed model, ticking one.
PENDING = {True: "Remove (not saved)", False: "Allow (not saved)"}
SIDE = {True: " cell-on", False: " cell-off"}


@register.simple_tag
def matrix_cells(row: Row) -> SafeString:
    """One `<td>` per model: the state as text and icon; a checkbox unless the row is fixed.
    Each cell also names its model, shown only on narrow screens where the column headers
    are hidden (the checkbox's own label names it for screen readers at every width)."""
    email, user_id = escape(row.member.user.email), row.member.user_id
    cells = []
    for cell in row.cells:
        model_id = escape(cell.model_id)
        name = f'<span class="cell-model">{escape(cell.name)}</span>'
        if row.readonly:
            inner = (
                f'{name}<span aria-hidden="true">{ICON[cell.allowed]}</span> {escape(cell.text)}'
            )
        else:
            # The box is their own list: a cell a group gives is unticked, and says so.
            checked = " checked" if cell.own else ""
            label = f"{model_id} for {email}"
            if cell.state == GROUP:
                label += f" ({escape(cell.text.replace('From', 'from', 1))}; not on their own list)"
            # What a click would change shows at once, by CSS alone (no script needed): the
            # saved state gives way to the pending one while the box differs from it.
            inner = (
                f'<label><input type="checkbox" name="cell" value="{user_id} {model_id}" '
                f'form="matrix-cells" aria-label="{label}"{checked}> '
                f'{name}<span class="cell-now">{escape(cell.text)}</span>'
                f'<span class="cell-pending">{PENDING[cell.own]}</span></label>'
            )
        cells.append(f'<td class="cell cell-{cell.state}{SIDE[cell.own]}">{inner}</td>')
    return mark_safe("".join(cells))  # noqa: S308 - every value above is escaped
