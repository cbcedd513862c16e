"""Discord's documented limits on what a message may carry, checked on every payload a test captured.

https://discord.com/developers/docs/resources/message#embed-object-embed-limits
"""

from __future__ import annotations

from typing import Any

EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER_TEXT = 2048
AUTHOR_NAME = 256
EMBED_TOTAL = 6000
EMBEDS_PER_MESSAGE = 10
CONTENT = 2000
ACTION_ROWS = 5
COMPONENTS_PER_ROW = 5
BUTTON_LABEL = 80
CUSTOM_ID = 100
CHOICES = 25
CHOICE_NAME = 100
CHOICE_VALUE = 100


def embed_problems(embed: dict[str, Any], where: str) -> list[str]:
    """Every limit one embed breaks, as readable lines."""
    problems: list[str] = []

    def check(label: str, value: str | None, limit: int) -> int:
        length = len(value or "")
        if length > limit:
            problems.append(f"{where}: {label} is {length} characters (limit {limit})")
        return length

    total = check("title", embed.get("title"), EMBED_TITLE)
    total += check("description", embed.get("description"), EMBED_DESCRIPTION)
    total += check("footer", (embed.get("footer") or {}).get("text"), FOOTER_TEXT)
    total += check("author", (embed.get("author") or {}).get("name"), AUTHOR_NAME)
    fields = embed.get("fields") or []
    if len(fields) > EMBED_FIELDS:
        problems.append(f"{where}: {len(fields)} fields (limit {EMBED_FIELDS})")
    for index, fld in enumerate(fields):
        if not fld.get("name") or not fld.get("value"):
            problems.append(f"{where}: field {index} has an empty name or value")
        total += check(f"field {index} name", fld.get("name"), FIELD_NAME)
        total += check(f"field {index} value", fld.get("value"), FIELD_VALUE)
    if total > EMBED_TOTAL:
        problems.append(f"{where}: {total} characters in all (limit {EMBED_TOTAL})")
    return problems


def message_problems(payload: dict[str, Any], where: str = "message") -> list[str]:
    """Every limit a message body (content, embeds, components, autocomplete choices) breaks."""
    problems: list[str] = []
    content = payload.get("content") or ""
    if len(content) > CONTENT:
        problems.append(f"{where}: content is {len(content)} characters (limit {CONTENT})")
    embeds = payload.get("embeds") or []
    if len(embeds) > EMBEDS_PER_MESSAGE:
        problems.append(f"{where}: {len(embeds)} embeds (limit {EMBEDS_PER_MESSAGE})")
    total = 0
    for index, embed in enumerate(embeds):
        problems += embed_problems(embed, f"{where} embed {index}")
        total += sum(
            len(x or "")
            for x in (
                embed.get("title"),
                embed.get("description"),
                (embed.get("footer") or {}).get("text"),
                (embed.get("author") or {}).get("name"),
            )
        )
        total += sum(len(f.get("name") or "") + len(f.get("value") or "") for f in embed.get("fields") or [])
    if total > EMBED_TOTAL:
        problems.append(f"{where}: embeds hold {total} characters together (limit {EMBED_TOTAL})")
    rows = payload.get("components") or []
    if len(rows) > ACTION_ROWS:
        problems.append(f"{where}: {len(rows)} action rows (limit {ACTION_ROWS})")
    for row in rows:
        children = row.get("components") or []
        if len(children) > COMPONENTS_PER_ROW:
            problems.append(f"{where}: a row holds {len(children)} components (limit {COMPONENTS_PER_ROW})")
        for child in children:
            if len(child.get("label") or "") > BUTTON_LABEL:
                problems.append(f"{where}: button label too long")
            if len(child.get("custom_id") or "") > CUSTOM_ID:
                problems.append(f"{where}: custom_id too long")
    choices = payload.get("choices")
    if choices is not None:
        if len(choices) > CHOICES:
            problems.append(f"{where}: {len(choices)} choices (limit {CHOICES})")
        for choice in choices:
            if not 1 <= len(choice.get("name") or "") <= CHOICE_NAME:
                problems.append(f"{where}: choice name {choice.get('name')!r} out of 1..{CHOICE_NAME}")
            if isinstance(choice.get("value"), str) and len(choice["value"]) > CHOICE_VALUE:
                problems.append(f"{where}: choice value too long")
    return problems


def all_problems(payloads: list[dict[str, Any]]) -> list[str]:
    """Limits broken by any of the captured payloads."""
    problems: list[str] = []
    for index, payload in enumerate(payloads):
        problems += message_problems(payload, f"payload {index}")
    return problems
