"""Codes as people read them: the description from the DfE (or local) list, not the code."""

from __future__ import annotations

import functools

from goldenthread.reference.codes import UnknownCodeList, code_list


@functools.cache
def describe(list_id: str, code: str) -> str:
    """The description of `code` in the list `list_id`; the code itself if the list does
    not know it (an old code, or one another system used), blank for blank."""
    if not code:
        return ""
    try:
        item = code_list(list_id).get(code)
    except UnknownCodeList:
        return code
    return item.description if item is not None else code
