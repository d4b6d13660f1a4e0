"""The Reports window (issue 21): filters, the traffic / handling / service / people tabs with
their charts and the weekday × hour heat map, drill-down to the records behind a number, and
the Excel and PDF exports."""
