"""Panels an app lower down contributes to a page of an app higher up, without the higher app importing it.

An app registers a function for a named slot in its AppConfig.ready():

    register_panel("commission_understand", crime_panel)

and the page asks for the slot's panels, passing what the functions need:

    panels("commission_understand", commission=commission)

Each function returns a dict with a "template" key (rendered with the dict as `panel`, like the home panels) or
None when it has nothing to show. Registering the same function twice is harmless.
"""

_slots: dict[str, list] = {}


def register_panel(slot: str, fn) -> None:
    functions = _slots.setdefault(slot, [])
    if fn not in functions:
        functions.append(fn)


def panels(slot: str, **kwargs) -> list[dict]:
    result = []
    for fn in _slots.get(slot, []):
        panel = fn(**kwargs)
        if panel is not None:
            result.append(panel)
    return result
