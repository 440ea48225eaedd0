"""What the grants forms share: yes-or-no answers."""

YES_NO = [("yes", "Yes"), ("no", "No")]


def yes_no(value):
    return {True: "yes", False: "no"}.get(value)


def to_bool(value):
    return {"yes": True, "no": False}.get(value)
