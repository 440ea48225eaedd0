"""The commissioning forms, a module per stage of the work."""
