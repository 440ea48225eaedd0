"""Reporting's reads, one module per part of the app (monitoring, dashboards, transparency, ...)."""
