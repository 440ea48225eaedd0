"""Open data: grants as a 360Giving package and spreadsheet, contracts as an OCDS release package.

Built from the same published records as the transparency pages (reporting/selectors/transparency.py),
so the files and the pages cannot disagree about what has been made public.
"""
