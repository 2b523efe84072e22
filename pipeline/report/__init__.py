"""The report: ``report.html`` (template, CSS, JS and renderer) and the column labels."""
