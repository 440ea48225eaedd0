"""Helpers that keep every demo loader idempotent: a second run writes nothing at all."""


def sync(model, lookup: dict, values: dict):
    """Create the row, or update it only where a value differs (so no audit history is written twice)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
    return obj, False
