"""The activity report: counting the activity log per week or month, tables, charts, HTML and CSV."""
