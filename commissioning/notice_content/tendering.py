"""Notices before and at the start of a competition: preliminary market engagement, planned procurement,
tender (above and below threshold) and procurement termination."""
