"""Reporting's reads, one module per part: `monitoring` (issue 6); dashboards and transparency add theirs."""
