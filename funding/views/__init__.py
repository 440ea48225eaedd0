"""The funding pages, a module per part of the work: years, awards and payments."""
