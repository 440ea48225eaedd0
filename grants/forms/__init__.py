"""The grants forms, a module per part of the work."""
